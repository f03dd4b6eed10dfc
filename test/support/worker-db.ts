import { loadConfig } from '../../src/config/config';
import { withUserAndDb } from '../../src/platform/database/provision';
import { APP_ROLE, OWNER_ROLE } from '../../src/platform/database/roles';

/** The environment that points the suites of one worker at the run's database `name`. */
export function workerDatabaseEnv(name: string): Record<string, string> {
  const admin = loadConfig().DATABASE_ADMIN_URL;
  return {
    CIVITAS_TEST_DB: name,
    DATABASE_URL: withUserAndDb(admin, APP_ROLE, name),
    DATABASE_OWNER_URL: withUserAndDb(admin, OWNER_ROLE, name),
  };
}

/**
 * Before each suite (jest `setupFiles`): the database global-setup made for this worker. A worker
 * jest replaces for its memory keeps its JEST_WORKER_ID, so it keeps its database.
 */
export function useWorkerDatabase(env: NodeJS.ProcessEnv = process.env): void {
  const name = env[`CIVITAS_TEST_DB_${env.JEST_WORKER_ID ?? '1'}`];
  if (name) Object.assign(env, workerDatabaseEnv(name));
}
