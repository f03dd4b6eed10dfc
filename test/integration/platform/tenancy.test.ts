import type { Client } from 'pg';
import { NON_TENANT_TABLES } from '../../../src/platform/tenancy/non-tenant-tables';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_ROLE } from '../../../src/platform/database/roles';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { appDataSource, clientAs } from './db';
import { createMunicipality } from '../../factories/municipalities';

let ds: DataSource;
let tenantDb: TenantDb;
let su: Client;
let a: { id: string; code: string };
let b: { id: string; code: string };
let seq = 0;

const POOL = 8;

const addPerson = async (
  em: EntityManager,
  municipalityId: string,
  name = 'Anna',
): Promise<string> => {
  const code = `${String(++seq).padStart(6, '0')}-${process.pid % 100000}`;
  const rows = (await em.query(
    `INSERT INTO persons (municipality_id, personal_code, given_name, family_name) VALUES ($1, $2, $3, 'Test') RETURNING id`,
    [municipalityId, code, name],
  )) as { id: string }[];
  return rows[0].id;
};

const superCount = async (municipalityId: string): Promise<number> =>
  (
    await su.query(`SELECT count(*)::int AS n FROM persons WHERE municipality_id = $1`, [
      municipalityId,
    ])
  ).rows[0].n as number;

beforeAll(async () => {
  ds = await appDataSource(POOL);
  tenantDb = new TenantDb(ds);
  su = await clientAs('superuser');
  a = await createMunicipality(ds);
  b = await createMunicipality(ds);
});

afterAll(async () => {
  await su.end();
  await ds.destroy();
});

describe('tenancy: row-level security on persons through the app role', () => {
  it('shows no rows when no tenant is set, even with data present', async () => {
    await tenantDb.run(a.id, (em) => addPerson(em, a.id));
    expect(await superCount(a.id)).toBeGreaterThan(0);
    expect(await ds.query(`SELECT * FROM persons`)).toEqual([]);
    expect(await ds.query(`SELECT * FROM persons WHERE municipality_id = $1`, [a.id])).toEqual([]);
  });

  it('never lets tenant A see, update or delete tenant B rows', async () => {
    const bPerson = await tenantDb.run(b.id, (em) => addPerson(em, b.id, 'Bruno'));
    await tenantDb.run(a.id, async (em) => {
      expect(await em.query(`SELECT id FROM persons WHERE id = $1`, [bPerson])).toEqual([]);
      const all = (await em.query(`SELECT DISTINCT municipality_id FROM persons`)) as {
        municipality_id: string;
      }[];
      expect(all).toEqual([{ municipality_id: a.id }]);
      // TypeORM answers UPDATE/DELETE with [returned rows, affected count].
      expect(
        await em.query(`UPDATE persons SET given_name = 'Hacked' WHERE id = $1 RETURNING id`, [
          bPerson,
        ]),
      ).toEqual([[], 0]);
      expect(await em.query(`DELETE FROM persons WHERE id = $1 RETURNING id`, [bPerson])).toEqual([
        [],
        0,
      ]);
      expect(
        await em.query(`DELETE FROM persons WHERE municipality_id = $1 RETURNING id`, [b.id]),
      ).toEqual([[], 0]);
    });
    const row = await su.query(`SELECT given_name FROM persons WHERE id = $1`, [bPerson]);
    expect(row.rows).toEqual([{ given_name: 'Bruno' }]);
  });

  it('refuses to insert a row for another tenant, or to move a row to one (WITH CHECK)', async () => {
    const before = await superCount(b.id);
    await expect(tenantDb.run(a.id, (em) => addPerson(em, b.id))).rejects.toThrow(
      /violates row-level security policy/,
    );
    const aPerson = await tenantDb.run(a.id, (em) => addPerson(em, a.id));
    await expect(
      tenantDb.run(a.id, (em) =>
        em.query(`UPDATE persons SET municipality_id = $1 WHERE id = $2`, [b.id, aPerson]),
      ),
    ).rejects.toThrow(/violates row-level security policy/);
    expect(await superCount(b.id)).toBe(before);
  });

  it('keeps 1,000 interleaved reading and writing transactions on a shared pool within their tenant', async () => {
    const beforeA = await superCount(a.id);
    const beforeB = await superCount(b.id);
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => {
        const t = i % 2 === 0 ? a.id : b.id;
        return tenantDb.run(t, async (em) => {
          const id = await addPerson(em, t);
          const [ctx] = (await em.query(
            `SELECT current_tenant() AS tenant, pg_backend_pid() AS pid`,
          )) as { tenant: string; pid: number }[];
          const seen = (await em.query(`SELECT DISTINCT municipality_id FROM persons`)) as {
            municipality_id: string;
          }[];
          const mine = (await em.query(`SELECT municipality_id FROM persons WHERE id = $1`, [
            id,
          ])) as { municipality_id: string }[];
          return {
            t,
            tenant: ctx.tenant,
            pid: ctx.pid,
            seen: seen.map((s) => s.municipality_id),
            mine: mine.map((m) => m.municipality_id),
          };
        });
      }),
    );
    const crossed = results.filter(
      (r) => r.tenant !== r.t || r.seen.some((s) => s !== r.t) || r.mine.join() !== r.t,
    );
    expect(crossed).toEqual([]);
    expect(new Set(results.map((r) => r.pid)).size).toBeGreaterThan(1);
    expect(await superCount(a.id)).toBe(beforeA + 500);
    expect(await superCount(b.id)).toBe(beforeB + 500);
    // The tenant setting was transaction-local: no pooled connection still carries one.
    const after = (await Promise.all(
      Array.from({ length: POOL * 2 }, () =>
        ds.query(`SELECT current_tenant() AS tenant, count(*)::int AS n FROM persons`),
      ),
    )) as { tenant: string | null; n: number }[][];
    expect(after.flat().every((r) => r.tenant === null && r.n === 0)).toBe(true);
  }, 60_000);
});

describe('tenancy: the transaction variants', () => {
  it('turns JIT off only inside a transaction that asks for it, and leaves the pooled connection as it was', async () => {
    const one = await appDataSource(1);
    const one2 = new TenantDb(one);
    try {
      const jit = async (em: EntityManager) =>
        ((await em.query(`SHOW jit`)) as { jit: string }[])[0].jit;
      const setting = async (em: EntityManager) =>
        (
          (await em.query(`SELECT current_setting('app.municipality_id', true) AS m`)) as {
            m: string | null;
          }[]
        )[0].m;
      const before = ((await one.query(`SHOW jit`)) as { jit: string }[])[0].jit;
      expect(await one2.run(a.id, jit)).toBe(before);
      expect(await one2.run(a.id, setting)).toBe(a.id);
      expect(await one2.run(a.id, jit, { jit: false })).toBe('off');
      expect(await one2.run(b.id, setting, { jit: false })).toBe(b.id);
      // The same single connection afterwards: neither setting survived the transaction.
      expect(((await one.query(`SHOW jit`)) as { jit: string }[])[0].jit).toBe(before);
      expect(
        (
          (await one.query(`SELECT current_setting('app.municipality_id', true) AS m`)) as {
            m: string | null;
          }[]
        )[0].m || null,
      ).toBeNull();
    } finally {
      await one.destroy();
    }
  });
  it('opens the transaction and sets the municipality in one round trip, and still rolls back and nests', async () => {
    const one = await appDataSource(1);
    const tdb = new TenantDb(one);
    const sent: string[] = [];
    try {
      // The pool's one connection, with every statement sent on it recorded.
      const qr = one.createQueryRunner();
      const client = (await qr.connect()) as Client;
      await qr.release();
      const query = client.query.bind(client) as (...a: unknown[]) => unknown;
      (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
        const q = a[0] as string | { text: string };
        sent.push(typeof q === 'string' ? q : q.text);
        return query(...a);
      };
      await tdb.run(a.id, (em) => addPerson(em, a.id, 'Rita'));
      expect(sent).toHaveLength(3);
      expect(sent[0]).toMatch(
        /^START TRANSACTION; SELECT set_config\('app\.municipality_id', '[0-9a-f-]{36}', true\)$/,
      );
      expect(sent[2]).toBe('COMMIT');

      // A failure rolls everything back, the nested transaction's rows included.
      const before = await superCount(a.id);
      await expect(
        tdb.run(a.id, async (em) => {
          await addPerson(em, a.id, 'Ilze');
          await em.transaction((inner) => addPerson(inner, a.id, 'Inese'));
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(await superCount(a.id)).toBe(before);
      expect(sent).toContain('ROLLBACK');
      // The connection is usable and carries no municipality afterwards.
      expect(
        (
          (await one.query(`SELECT current_setting('app.municipality_id', true) AS m`)) as {
            m: string | null;
          }[]
        )[0].m || null,
      ).toBeNull();
    } finally {
      await one.destroy();
    }
  });
});

describe('tenancy: database roles and policies', () => {
  it('connects the pool as the app role, which is neither superuser, BYPASSRLS, owner nor member of the owner', async () => {
    const [who] = (await ds.query(`SELECT current_user AS u`)) as { u: string }[];
    expect(who.u).toBe(APP_ROLE);
    const role = await su.query(
      `SELECT rolsuper, rolbypassrls, rolcreaterole, pg_has_role($1, 'civitas_owner', 'MEMBER') AS in_owner FROM pg_roles WHERE rolname = $1`,
      [APP_ROLE],
    );
    expect(role.rows).toEqual([
      { rolsuper: false, rolbypassrls: false, rolcreaterole: false, in_owner: false },
    ]);
    const owned = await su.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = $1`,
      [APP_ROLE],
    );
    expect(owned.rows).toEqual([]);
  });

  it('guards every table with a municipality_id column by forced RLS with tenant policies for reads and writes', async () => {
    const { tables, problems } = await tenancyProblems(su);
    expect(tables).toEqual(expect.arrayContaining(['audit_log', 'persons']));
    expect(problems).toEqual([]);
  });

  it('names the table that forgets RLS, FORCE or a tenant policy (the guard itself can fail)', async () => {
    await su.query('BEGIN');
    try {
      await su.query(`CREATE TABLE zz_no_rls (municipality_id uuid)`);
      await su.query(`CREATE TABLE zz_not_forced (municipality_id uuid)`);
      await su.query(`ALTER TABLE zz_not_forced ENABLE ROW LEVEL SECURITY`);
      await su.query(`CREATE POLICY p ON zz_not_forced USING (municipality_id = current_tenant())`);
      await su.query(`CREATE TABLE zz_loose (municipality_id uuid)`);
      await su.query(`ALTER TABLE zz_loose ENABLE ROW LEVEL SECURITY`);
      await su.query(`ALTER TABLE zz_loose FORCE ROW LEVEL SECURITY`);
      await su.query(`CREATE POLICY p ON zz_loose USING (municipality_id = current_tenant())`);
      await su.query(`CREATE POLICY q ON zz_loose FOR SELECT USING (true)`);
      const { problems } = await tenancyProblems(su);
      expect(problems.filter((p) => p.startsWith('zz_'))).toEqual([
        'zz_loose: policy for SELECT does not test current_tenant()',
        'zz_no_rls: RLS not enabled',
        'zz_no_rls: RLS not forced',
        'zz_no_rls: no read policy on municipality_id = current_tenant()',
        'zz_no_rls: no WITH CHECK policy on municipality_id = current_tenant()',
        'zz_not_forced: RLS not forced',
      ]);
    } finally {
      await su.query('ROLLBACK');
    }
  });
});

/** Every public table with a municipality_id column, and what is missing from its tenant guard. */
async function tenancyProblems(client: Client): Promise<{ tables: string[]; problems: string[] }> {
  const tables = (
    await client.query(
      `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
         FROM information_schema.columns col
         JOIN pg_namespace n ON n.nspname = col.table_schema
         JOIN pg_class c ON c.relname = col.table_name AND c.relnamespace = n.oid
        WHERE col.table_schema = 'public' AND col.column_name = 'municipality_id' AND c.relkind IN ('r', 'p')
        ORDER BY 1`,
    )
  ).rows as { table: string; enabled: boolean; forced: boolean }[];
  const policies = (
    await client.query(
      `SELECT tablename, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public'`,
    )
  ).rows as { tablename: string; cmd: string; qual: string | null; with_check: string | null }[];
  const tenantTest = /municipality_id.*current_tenant\(\)/;
  // Permissive policies are OR-ed: a single policy that ignores the tenant opens the table.
  const loose = (e: string | null): boolean => e !== null && !/current_tenant\(\)/.test(e);
  const problems: string[] = [];
  for (const t of tables.filter((x) => !(x.table in NON_TENANT_TABLES))) {
    const mine = policies.filter((p) => p.tablename === t.table);
    if (!t.enabled) problems.push(`${t.table}: RLS not enabled`);
    if (!t.forced) problems.push(`${t.table}: RLS not forced`);
    // An ALL policy without WITH CHECK applies its USING expression to new rows.
    const check = (p: (typeof mine)[number]): string =>
      p.with_check ?? (p.cmd === 'ALL' ? (p.qual ?? '') : '');
    if (!mine.some((p) => ['ALL', 'SELECT'].includes(p.cmd) && tenantTest.test(p.qual ?? ''))) {
      problems.push(`${t.table}: no read policy on municipality_id = current_tenant()`);
    }
    if (!mine.some((p) => ['ALL', 'INSERT'].includes(p.cmd) && tenantTest.test(check(p)))) {
      problems.push(`${t.table}: no WITH CHECK policy on municipality_id = current_tenant()`);
    }
    for (const p of mine.filter((x) => loose(x.qual) || loose(x.with_check))) {
      problems.push(`${t.table}: policy for ${p.cmd} does not test current_tenant()`);
    }
  }
  return { tables: tables.map((t) => t.table), problems };
}
