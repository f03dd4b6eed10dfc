import { createTestDatabase } from './test-db';

/**
 * Settings this run changes for the apps the suites build in-process, never for the shipped app
 * (`startShippedApp` leaves them out, so the README tour runs on the real defaults).
 */
export const TEST_RUN_SETTINGS = ['ADMIN_TOTP_REQUIRED', 'SIGN_IN_IP_LIMIT'] as const;

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
  // Suites about other things sign administrators in with a password only. The second-factor
  // suite and the access matrix start their apps with ADMIN_TOTP_REQUIRED=true (the default).
  process.env.ADMIN_TOTP_REQUIRED ??= 'false';
  // Failed sign-ins are counted per address in the run's one database, and every app of the run
  // is 127.0.0.1: the throttle suite sets its own limits and sends X-Forwarded-For addresses.
  process.env.SIGN_IN_IP_LIMIT ??= '100000';
}
