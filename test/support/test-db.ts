import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/config';
import {
  dropDatabase,
  provisionDatabase,
  withUserAndDb,
} from '../../src/platform/database/provision';
import { runMigrations } from '../../src/platform/database/migrate';
import { APP_ROLE, ENGINE_ROLE, OWNER_ROLE } from '../../src/platform/database/roles';

export interface TestDatabase {
  name: string;
  ownerUrl: string;
  appUrl: string;
  /** The engine role (DBOS's system schema only). */
  engineUrl: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own; drop() removes it. */
export async function createTestDatabase(prefix = 'civitas_test'): Promise<TestDatabase> {
  const { DATABASE_ADMIN_URL } = loadConfig();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await provisionDatabase(DATABASE_ADMIN_URL, name);
  const ownerUrl = withUserAndDb(DATABASE_ADMIN_URL, OWNER_ROLE, name);
  await runMigrations(ownerUrl);
  return {
    name,
    ownerUrl,
    appUrl: withUserAndDb(DATABASE_ADMIN_URL, APP_ROLE, name),
    engineUrl: withUserAndDb(DATABASE_ADMIN_URL, ENGINE_ROLE, name),
    drop: () => dropDatabase(DATABASE_ADMIN_URL, name),
  };
}
