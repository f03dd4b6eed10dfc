import type { ResidenceHarness } from '../workflows/residence/harness';

/** A demo identity of the in-process eID provider, known to the population register simulator. */
export const DEV_CITIZEN = { code: '290165-13409', password: 'eid-demo' };

export async function registerDevCitizen(h: ResidenceHarness): Promise<void> {
  await h.owner.query(
    `INSERT INTO sim_persons (personal_code, given_name, family_name, given_name_norm, family_name_norm, sex, birth_date)
     VALUES ($1, 'Pēteris', 'Kļaviņš', 'peteris', 'klavins', 'M', '1965-01-29') ON CONFLICT DO NOTHING`,
    [DEV_CITIZEN.code],
  );
}
