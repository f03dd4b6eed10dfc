import { createTestDatabase } from './test-db';
import { workerDatabaseEnv } from './worker-db';

/**
 * Settings this run changes for the apps the suites build in-process, never for the shipped app
 * (`startShippedApp` leaves them out, so the README tour runs on the real defaults).
 */
export const TEST_RUN_SETTINGS = ['ADMIN_TOTP_REQUIRED', 'SIGN_IN_IP_LIMIT'] as const;

/**
 * One migrated database per jest worker of this run: a worker runs its suites one after another on
 * its own database (test/support/worker-db.ts picks it), as the whole run once did on one, so suites
 * in two workers never see each other's rows, engine runs or background jobs. The URLs reach every
 * worker through the environment. DATABASE_ENGINE_URL is left to follow DATABASE_URL (user
 * civitas_engine), also in tests that point DATABASE_URL at a database of their own.
 */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  const workers = Math.max(1, globalConfig.maxWorkers);
  const names: string[] = [];
  for (let i = 1; i <= workers; i++) {
    const db = await createTestDatabase();
    names.push(db.name);
    process.env[`CIVITAS_TEST_DB_${i}`] = db.name;
  }
  process.env.CIVITAS_TEST_DBS = names.join(',');
  // The main process (in-band runs) and worker 1 use the first.
  Object.assign(process.env, workerDatabaseEnv(names[0]));
  // Suites about other things sign administrators in with a password only. The second-factor
  // suite and the access matrix start their apps with ADMIN_TOTP_REQUIRED=true (the default).
  process.env.ADMIN_TOTP_REQUIRED ??= 'false';
  // Failed sign-ins are counted per address in the run's one database, and every app of the run
  // is 127.0.0.1: the throttle suite sets its own limits and sends X-Forwarded-For addresses.
  process.env.SIGN_IN_IP_LIMIT ??= '100000';
}
