import { createTestDatabase } from './test-db';

/**
 * One migrated database per test run; its URLs reach every worker through the environment.
 * DATABASE_ENGINE_URL is left to follow DATABASE_URL (user civitas_engine), also in tests that
 * point DATABASE_URL at a database of their own.
 */
export default async function globalSetup(): Promise<void> {
  const db = await createTestDatabase();
  process.env.CIVITAS_TEST_DB = db.name;
  process.env.DATABASE_URL = db.appUrl;
  process.env.DATABASE_OWNER_URL = db.ownerUrl;
}
