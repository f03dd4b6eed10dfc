import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config/config';
import { dataSourceOptions } from '../../../src/platform/database/data-source-options';

/** A pool connected as the app role (civitas_app): RLS applies, as in the running application. */
export async function appDataSource(poolSize = 10): Promise<DataSource> {
  const ds = new DataSource(
    dataSourceOptions(loadConfig().DATABASE_URL, { extra: { max: poolSize } }),
  );
  return ds.initialize();
}

/** A client on this run's database as `user`: the superuser by default, or the schema owner. */
export async function clientAs(who: 'superuser' | 'owner'): Promise<Client> {
  const c = loadConfig();
  const url = new URL(who === 'owner' ? c.DATABASE_OWNER_URL : c.DATABASE_ADMIN_URL);
  url.pathname = `/${new URL(c.DATABASE_URL).pathname.slice(1)}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}
