import { Client } from 'pg';
import { APP_ROLE, ENGINE_ROLE, OWNER_ROLE } from './roles';

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const ident = (s: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`unsafe identifier: ${s}`);
  return `"${s}"`;
};

/**
 * Creates the three roles (idempotent, safe when several runs race) and the database. A role given
 * a password here (from the URL it connects with) gets it, so a changed password takes effect.
 */
export async function provisionDatabase(
  adminUrl: string,
  database: string,
  passwords: Partial<Record<string, string>> = {},
): Promise<void> {
  await withClient(adminUrl, async (c) => {
    for (const [role, attrs] of [
      [OWNER_ROLE, 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE CREATEDB'],
      [APP_ROLE, 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT'],
      [ENGINE_ROLE, 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT'],
    ] as const) {
      await c.query(
        `DO $$ BEGIN CREATE ROLE ${ident(role)} ${attrs}; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
      );
      const password = passwords[role];
      if (password) {
        const { rows } = await c.query<{ q: string }>('SELECT quote_literal($1) AS q', [password]);
        await c.query(`ALTER ROLE ${ident(role)} PASSWORD ${rows[0].q}`);
      }
    }
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0)
      await c.query(`CREATE DATABASE ${ident(database)} OWNER ${ident(OWNER_ROLE)}`);
  });
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${database}`;
  await withClient(dbUrl.toString(), async (c) => {
    await c.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    // Trigram indexes for substring search (address register simulator); needs superuser.
    await c.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await c.query(`ALTER SCHEMA public OWNER TO ${ident(OWNER_ROLE)}`);
    await c.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    // The runtime roles create nothing, not even temporary tables (PostgreSQL grants TEMP to PUBLIC).
    await c.query(`REVOKE TEMPORARY ON DATABASE ${ident(database)} FROM PUBLIC`);
    await c.query(`GRANT USAGE ON SCHEMA public TO ${ident(APP_ROLE)}`);
    await c.query(
      `GRANT CONNECT ON DATABASE ${ident(database)} TO ${ident(APP_ROLE)}, ${ident(ENGINE_ROLE)}`,
    );
    await c.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(OWNER_ROLE)} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${ident(APP_ROLE)}`,
    );
    await c.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(OWNER_ROLE)} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${ident(APP_ROLE)}`,
    );
    await c.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(OWNER_ROLE)} IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO ${ident(APP_ROLE)}`,
    );
  });
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, (c) =>
    c.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`),
  );
}

/** Replaces user and database in a connection URL. */
export function withUserAndDb(url: string, user: string, database: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = '';
  u.pathname = `/${database}`;
  return u.toString();
}
