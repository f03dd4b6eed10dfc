import type { DataSource } from 'typeorm';
import { seedDemoResidents } from '../../src/integrations/sim/demo-residents';

/**
 * A demo identity of the in-process eID provider (Pēteris Kļaviņš, declared at his house in Tukums
 * with his wife; he also owns a flat). The register simulators know him from the demo seed.
 */
export const DEV_CITIZEN = { code: '290165-13409', password: 'eid-demo' };

/**
 * The dev-IdP residents in the register simulators, written by the code `seed:demo` and every
 * `sim:seed` run (idempotent): tests rely on what the seed creates, never on rows of their own.
 */
export async function seedDevResidents(h: { owner: DataSource }): Promise<void> {
  await seedDemoResidents(h.owner);
}
