import { loadConfig } from '../../../src/config/config';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { signInCitizen, signInStaff } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(120_000);

/**
 * An installation that does not run the service yet (SOCIAL_ASSISTANCE_APPLICATIONS=off): the
 * application pages answer "not open" in the reader's language, to the resident and to counter
 * staff alike, and store nothing. As shipped (the key unset) they are open.
 */
let h: ResidenceHarness;
beforeAll(async () => {
  h = await startResidenceApp({ SOCIAL_ASSISTANCE_APPLICATIONS: 'off' });
  await seedDevResidents(h);
});
afterAll(() => h?.close());

it('is open as shipped: the key unset means open', () => {
  expect(
    loadConfig({ ...process.env, SOCIAL_ASSISTANCE_APPLICATIONS: undefined })
      .SOCIAL_ASSISTANCE_APPLICATIONS,
  ).toBe('open');
});

it('answers every application page 404 "not open yet", in lv and en, and stores no draft', async () => {
  const citizen = await signInCitizen(h.running.url, h.municipalityId, DEV_CITIZEN.code);
  const staff = await signInStaff(h.running.app, h.municipalityId, [
    { role: 'caseworker', process: 'social-assistance' },
  ]);
  const en = await citizen.get('/social-assistance/apply?lang=en');
  expect(en.status).toBe(404);
  expect(await en.text()).toContain('Social assistance applications are not open yet');
  const lv = await citizen.get('/social-assistance/apply/household?lang=lv');
  expect(lv.status).toBe(404);
  expect(await lv.text()).toContain('Sociālās palīdzības pieteikumi vēl netiek pieņemti');
  const desk = await staff.agent.get('/workspace/social-assistance/applications/new?lang=en');
  expect(desk.status).toBe(404);
  expect(desk.text).toContain('Social assistance applications are not open yet');
  const [{ n }] = await h.owner.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM social_assistance_applications`,
  );
  expect(n).toBe(0);
});
