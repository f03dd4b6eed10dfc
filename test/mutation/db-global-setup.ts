import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../../src/config/config';
import { provisionDatabase, withUserAndDb } from '../../src/platform/database/provision';
import { runMigrations } from '../../src/platform/database/migrate';
import { APP_ROLE, OWNER_ROLE } from '../../src/platform/database/roles';

/**
 * The global set-up of `npm run test:mutation:db`: every jest run StrykerJS starts (one per mutant)
 * gets a fresh database, as `npm test` does, but cloned from a template migrated once per Stryker
 * run (CREATE DATABASE … TEMPLATE copies files: a fraction of a second instead of the migrations).
 * A fresh database per mutant matters: a mutant that writes a wrong hash must not break the chain
 * the next mutant's tests verify. stryker.db.config.mjs names the run; test/mutation/db-templates.cjs
 * drops the template afterwards.
 */
export default async function mutationDbSetup(): Promise<void> {
  const run = process.env.CIVITAS_MUTATION_RUN;
  if (!run || !/^[0-9]+$/.test(run))
    throw new Error('CIVITAS_MUTATION_RUN is set by stryker.db.config.mjs');
  const admin = loadConfig().DATABASE_ADMIN_URL;
  const template = `civitas_mutation_template_${run}`;
  const name = `civitas_mutant_${run}_${randomBytes(4).toString('hex')}`;
  const c = new Client({ connectionString: admin });
  await c.connect();
  try {
    // One worker migrates the template; the others wait on the lock, then find it.
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    try {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount === 0) {
        await provisionDatabase(admin, template);
        await runMigrations(withUserAndDb(admin, OWNER_ROLE, template));
      }
      await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}" OWNER "${OWNER_ROLE}"`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
    }
    await c.query(`GRANT CONNECT ON DATABASE "${name}" TO "${APP_ROLE}"`);
  } finally {
    await c.end();
  }
  process.env.CIVITAS_TEST_DB = name;
  process.env.DATABASE_URL = withUserAndDb(admin, APP_ROLE, name);
  process.env.DATABASE_OWNER_URL = withUserAndDb(admin, OWNER_ROLE, name);
}
