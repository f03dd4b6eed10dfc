import { createTestDatabase } from './test-db';

/** One migrated database per test run; its URLs reach every worker through the environment. */
export default async function globalSetup(): Promise<void> {
  const db = await createTestDatabase();
  process.env.CIVITAS_TEST_DB = db.name;
  process.env.DATABASE_URL = db.appUrl;
  process.env.DATABASE_OWNER_URL = db.ownerUrl;
}
