import { loadConfig } from '../../src/config/config';
import { dropDatabase } from '../../src/platform/database/provision';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.CIVITAS_TEST_DB;
  if (name && !process.env.CIVITAS_KEEP_TEST_DB)
    await dropDatabase(loadConfig().DATABASE_ADMIN_URL, name);
}
