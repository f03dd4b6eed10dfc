import { loadConfig } from '../../src/config/config';
import { dropDatabase } from '../../src/platform/database/provision';

export default async function globalTeardown(): Promise<void> {
  if (process.env.CIVITAS_KEEP_TEST_DB) return;
  const names = (process.env.CIVITAS_TEST_DBS ?? process.env.CIVITAS_TEST_DB ?? '')
    .split(',')
    .filter(Boolean);
  for (const name of names) await dropDatabase(loadConfig().DATABASE_ADMIN_URL, name);
}
