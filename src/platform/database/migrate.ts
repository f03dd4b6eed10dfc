import { DBOS } from '@dbos-inc/dbos-sdk';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { ENGINE_ROLE, ENGINE_SCHEMA } from './roles';

/**
 * Everything that changes the schema, as the owner: the TypeORM migrations, then DBOS's system
 * schema (created or migrated here, so the running engine connects as a role without DDL and
 * only verifies it at launch) with the engine role's grants on it. Returns the TypeORM
 * migrations applied.
 */
export async function runMigrations(ownerUrl: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(ownerUrl));
  await ds.initialize();
  let done: string[];
  try {
    done = (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await ds.destroy();
  }
  await migrateEngineSchema(ownerUrl);
  return done;
}

/**
 * DBOS's system tables: the engine role may read and write their rows, nothing else (no CREATE on
 * the schema, no TRUNCATE, no ownership). Granted again on every run, so tables a newer DBOS adds
 * are covered.
 */
export async function migrateEngineSchema(ownerUrl: string): Promise<void> {
  await DBOS.migrate(ownerUrl, { schemaName: ENGINE_SCHEMA });
  const c = new Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    const role = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [ENGINE_ROLE]);
    if (role.rowCount === 0)
      throw new Error(
        `role ${ENGINE_ROLE} does not exist: run \`civitas db:setup\` (it creates the roles)`,
      );
    await c.query(`GRANT USAGE ON SCHEMA "${ENGINE_SCHEMA}" TO "${ENGINE_ROLE}"`);
    await c.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${ENGINE_SCHEMA}" TO "${ENGINE_ROLE}"`,
    );
    await c.query(
      `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA "${ENGINE_SCHEMA}" TO "${ENGINE_ROLE}"`,
    );
    await c.query(
      `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA "${ENGINE_SCHEMA}" TO "${ENGINE_ROLE}"`,
    );
  } finally {
    await c.end();
  }
}
