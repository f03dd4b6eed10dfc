import { createTestDatabase } from './test-db';

/** One migrated database per test run; its URLs reach every worker through the environment. */
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
