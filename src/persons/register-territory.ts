import type { DataSource } from 'typeorm';
import { appendEntry } from '../platform/audit/audit-chain';

/** The demo municipalities' municipality in the address register simulator (the seed sets these). */
export const DEMO_TERRITORIES: Readonly<Record<string, string>> = { tukums: 'Tukuma novads' };

export class TerritoryError extends Error {}

/**
 * Sets which address-register municipality a tenant's lists, statistics and person look-ups cover.
 * Platform configuration: only the operator (CLI, seed) sets it, on the owner connection; the app
 * role may only read residence_territories (migration AppendOnlyLogsAndPlatformTerritory). The
 * name must be a municipality of the address register; the change is audited in the tenant's chain.
 */
export async function setRegisterTerritory(
  owner: DataSource,
  municipalityCode: string,
  registerMunicipality: string,
  operator: string,
): Promise<{ municipalityId: string; previous: string | null }> {
  const name = registerMunicipality.trim();
  const [m] = (await owner.query(`SELECT id FROM municipalities WHERE code = $1`, [
    municipalityCode,
  ])) as { id: string }[];
  if (!m) throw new TerritoryError(`no municipality with code ${municipalityCode}`);
  const known = (
    (await owner.query(`SELECT DISTINCT municipality FROM sim_addresses ORDER BY 1`)) as {
      municipality: string;
    }[]
  ).map((r) => r.municipality);
  if (!known.includes(name))
    throw new TerritoryError(
      `"${name}" is not a municipality of the address register (known: ${known.length ? known.join(', ') : 'none; run sim:seed first'})`,
    );
  return owner.transaction(async (em) => {
    await em.query(`SELECT set_config('app.municipality_id', $1, true)`, [m.id]);
    const [prev] = (await em.query(
      `SELECT register_municipality FROM residence_territories WHERE municipality_id = $1`,
      [m.id],
    )) as { register_municipality: string }[];
    const previous = prev?.register_municipality ?? null;
    if (previous === name) return { municipalityId: m.id, previous };
    await em.query(
      `INSERT INTO residence_territories (municipality_id, register_municipality) VALUES ($1, $2)
       ON CONFLICT (municipality_id) DO UPDATE SET register_municipality = EXCLUDED.register_municipality`,
      [m.id, name],
    );
    await appendEntry(em, {
      municipalityId: m.id,
      actorAccountId: null,
      actorDisplay: `operator ${operator}`.slice(0, 200),
      actorRole: 'platform-operator',
      action: 'residence.territory_set',
      subjectType: 'municipality',
      subjectId: m.id,
      personId: null,
      purpose: null,
      requestId: null,
      ip: null,
      details: { registerMunicipality: name, previous },
    });
    return { municipalityId: m.id, previous };
  });
}
