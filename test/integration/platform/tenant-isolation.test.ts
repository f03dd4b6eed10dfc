import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config/config';
import { dataSourceOptions } from '../../../src/platform/database/data-source-options';
import { APP_ROLE } from '../../../src/platform/database/roles';
import { NON_TENANT_TABLES } from '../../../src/platform/tenancy/non-tenant-tables';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { createTestDatabase, type TestDatabase } from '../../support/test-db';
import { createMunicipality } from '../../factories/municipalities';

/**
 * Issue 12, "Tenant isolation": every tenant table (a public table with municipality_id that is
 * not a reviewed exception in NON_TENANT_TABLES), read and written as the app role with
 * municipality A set, never shows or takes a row of B; the same with pooled connections
 * interleaving A and B under load, through every way TenantDb opens a transaction.
 *
 * On a database of its own: the rows written here are generic (random text, empty JSON), which
 * pollers of other test files sharing the run's database must never meet.
 */

/**
 * SQL for a NOT NULL column without a default that the generic rule below cannot fill (e.g. a
 * check constraint; foreign keys are followed to a parent row of the same municipality): table →
 * column → expression. A new tenant table whose generic row fails gets an entry here; the test
 * names it.
 */
const OVERRIDES: Record<string, Record<string, string>> = {
  // One run per municipality and day (unique): each generic row on a day of its own.
  social_assistance_monitor_runs: { run_date: `date '2000-01-01' + (random() * 36500)::int` },
};

/** Every way TenantDb opens a tenant transaction; a new method or option must be added here. */
const VARIANTS: {
  name: string;
  run: <T>(
    db: TenantDb,
    m: string,
    fn: (q: (sql: string, p?: unknown[]) => Promise<unknown[]>) => Promise<T>,
  ) => Promise<T>;
}[] = [
  { name: 'run', run: (db, m, fn) => db.run(m, (em) => fn((sql, p) => em.query(sql, p))) },
  {
    name: 'run { jit: false }',
    run: (db, m, fn) => db.run(m, (em) => fn((sql, p) => em.query(sql, p)), { jit: false }),
  },
];

interface Column {
  name: string;
  udt: string;
  type: string;
  max: number | null;
  required: boolean;
}

const POOL = 4;
let db: TestDatabase;
let su: Client;
let ds: DataSource;
let tenantDb: TenantDb;
let a: string;
let b: string;
let tables: string[];
const columns = new Map<string, Column[]>();
const enumLabels = new Map<string, string>();
/** `table.column` → the table and column its foreign key refers to. */
const foreignKeys = new Map<string, { parent: string; parentColumn: string }>();
/** Tables keyed by the municipality alone (one row each, e.g. settings): A's generic row replaces A's own. */
const oneRowPerTenant = new Set<string>();

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The VALUES expression for a required column; municipality_id is always $1. */
function valueFor(table: string, c: Column): string {
  const override = OVERRIDES[table]?.[c.name];
  if (override) return override;
  if (c.name === 'municipality_id') return '$1::uuid';
  if (c.udt.startsWith('_')) return `'{}'`;
  switch (c.udt) {
    case 'uuid':
      return 'gen_random_uuid()';
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'citext':
      return c.max ? `left(md5(random()::text), ${c.max})` : 'md5(random()::text)';
    case 'int2':
    case 'int4':
    case 'int8':
      return '(floor(random() * 30000) + 1)::int';
    case 'numeric':
    case 'float4':
    case 'float8':
      return '1';
    case 'bool':
      return 'false';
    case 'date':
      return 'current_date';
    case 'timestamptz':
    case 'timestamp':
      return 'now()';
    case 'json':
    case 'jsonb':
      return `'{}'`;
    case 'bytea':
      return `'\\x00'::bytea`;
    case 'inet':
      return `'127.0.0.1'`;
    default: {
      const label = enumLabels.get(c.udt);
      if (c.type === 'USER-DEFINED' && label !== undefined) return `'${label.replace(/'/g, "''")}'`;
      throw new Error(
        `${table}.${c.name}: no generic value for type ${c.udt}; add it to OVERRIDES`,
      );
    }
  }
}

/**
 * An INSERT of one generic row of municipality `m` (only required columns) and its parameters. A
 * column with a foreign key takes a row of its parent table of the same municipality (seeded
 * first), so only the tenant check can refuse the row.
 */
async function insertFor(table: string, m: string): Promise<[string, unknown[]]> {
  const cols = columns
    .get(table)!
    .filter((c) => c.required || c.name === 'municipality_id' || OVERRIDES[table]?.[c.name]);
  const params: unknown[] = [m];
  const values: string[] = [];
  for (const c of cols) {
    const fk = foreignKeys.get(`${table}.${c.name}`);
    if (fk && c.name !== 'municipality_id' && !OVERRIDES[table]?.[c.name]) {
      const scoped = columns.get(fk.parent)?.some((p) => p.name === 'municipality_id');
      const { rows } = await su.query<{ v: unknown }>(
        `SELECT ${q(fk.parentColumn)} AS v FROM ${q(fk.parent)}${scoped ? ' WHERE municipality_id = $1' : ''} LIMIT 1`,
        scoped ? [m] : [],
      );
      if (rows.length === 0)
        throw new Error(`${table}.${c.name}: no ${fk.parent} row to refer to; add it to OVERRIDES`);
      params.push(rows[0].v);
      values.push(`$${params.length}`);
    } else values.push(valueFor(table, c));
  }
  return [
    `INSERT INTO ${q(table)} (${cols.map((c) => q(c.name)).join(', ')}) VALUES (${values.join(', ')})`,
    params,
  ];
}

const appCan = async (table: string, privilege: string): Promise<boolean> =>
  (
    await su.query<{ ok: boolean }>(`SELECT has_table_privilege($1, $2, $3) AS ok`, [
      APP_ROLE,
      table,
      privilege,
    ])
  ).rows[0].ok;

/** What tenant A sees of B in each table, and what anyone sees with no tenant set. */
async function readProblems(): Promise<string[]> {
  const problems: string[] = [];
  for (const table of tables) {
    const sql = `SELECT count(*) FILTER (WHERE municipality_id = $1)::int AS b, count(*) FILTER (WHERE municipality_id IS DISTINCT FROM $2)::int AS other,
                        count(*) FILTER (WHERE municipality_id = $2)::int AS own FROM ${q(table)}`;
    const [seen] = (await tenantDb.run(a, (em) => em.query(sql, [b, a]))) as {
      b: number;
      other: number;
      own: number;
    }[];
    if (seen.b !== 0 || seen.other !== 0)
      problems.push(`${table}: tenant A sees ${seen.other} row(s) of another municipality`);
    if (seen.own < 1)
      problems.push(`${table}: tenant A does not see its own row (the check would prove nothing)`);
    const [none] = (await ds.query(`SELECT count(*)::int AS n FROM ${q(table)}`)) as {
      n: number;
    }[];
    if (none.n !== 0) problems.push(`${table}: ${none.n} row(s) visible with no tenant set`);
  }
  return problems;
}

/** Inserts for B, moves to B, updates and deletes of B's rows as tenant A: each must take nothing. */
async function writeProblems(list: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const table of list) {
    const forB = await tenantDb
      .run(a, async (em) => em.query(...(await insertFor(table, b))))
      .then(
        () => 'inserted',
        (e: Error) => e.message,
      );
    if (!/row-level security|permission denied/.test(forB))
      problems.push(`${table}: an insert for B as tenant A was not refused (${forB})`);
    if (await appCan(table, 'INSERT')) {
      // The same generic row for A goes in: the refusal above is the tenant check, not a bad row.
      const forA = await tenantDb
        .run(a, async (em) => {
          if (oneRowPerTenant.has(table))
            await em.query(`DELETE FROM ${q(table)} WHERE municipality_id = $1`, [a]);
          await em.query(...(await insertFor(table, a)));
          throw new Rollback();
        })
        .catch((e: Error) => (e instanceof Rollback ? 'ok' : e.message));
      if (forA !== 'ok')
        problems.push(
          `${table}: the generic row for A fails (${forA}); give the table an entry in OVERRIDES`,
        );
    }
    if (await appCan(table, 'UPDATE')) {
      const moved = await tenantDb
        .run(a, (em) =>
          em.query(`UPDATE ${q(table)} SET municipality_id = $1 WHERE municipality_id = $2`, [
            b,
            a,
          ]),
        )
        .then(
          () => 'moved',
          (e: Error) => e.message,
        );
      if (moved === 'moved') problems.push(`${table}: tenant A moved its row to B`);
      const [, touched] = (await tenantDb.run(a, (em) =>
        em.query(
          `UPDATE ${q(table)} SET municipality_id = municipality_id WHERE municipality_id = $1`,
          [b],
        ),
      )) as [unknown, number];
      if (touched !== 0) problems.push(`${table}: tenant A updated ${touched} row(s) of B`);
    }
    if (await appCan(table, 'DELETE')) {
      const [, removed] = (await tenantDb.run(a, (em) =>
        em.query(`DELETE FROM ${q(table)} WHERE municipality_id = $1`, [b]),
      )) as [unknown, number];
      if (removed !== 0) problems.push(`${table}: tenant A deleted ${removed} row(s) of B`);
    }
    const left = await su.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${q(table)} WHERE municipality_id = $1`,
      [b],
    );
    if (left.rows[0].n !== 1)
      problems.push(`${table}: B has ${left.rows[0].n} row(s), expected its 1`);
  }
  return problems;
}

/** Rejects with the rollback reason: each tenant transaction that should change nothing is undone. */
class Rollback extends Error {}

beforeAll(async () => {
  db = await createTestDatabase('civitas_test_iso');
  const suUrl = new URL(loadConfig().DATABASE_ADMIN_URL);
  suUrl.pathname = `/${db.name}`;
  su = new Client({ connectionString: suUrl.toString() });
  await su.connect();
  ds = await new DataSource(dataSourceOptions(db.appUrl, { extra: { max: POOL } })).initialize();
  tenantDb = new TenantDb(ds);
  a = (await createMunicipality(ds, { code: 'iso-a', name: 'Isolation A' })).id;
  b = (await createMunicipality(ds, { code: 'iso-b', name: 'Isolation B' })).id;
  const t = await su.query<{ table: string }>(
    `SELECT DISTINCT c.relname AS table FROM information_schema.columns col
       JOIN pg_namespace n ON n.nspname = col.table_schema
       JOIN pg_class c ON c.relname = col.table_name AND c.relnamespace = n.oid
      WHERE col.table_schema = 'public' AND col.column_name = 'municipality_id' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  tables = t.rows.map((r) => r.table).filter((x) => !(x in NON_TENANT_TABLES));
  const cols = await su.query<{
    table: string;
    name: string;
    udt: string;
    type: string;
    max: number | null;
    required: boolean;
  }>(
    `SELECT table_name AS table, column_name AS name, udt_name AS udt, data_type AS type, character_maximum_length AS max,
            (is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO' AND is_generated = 'NEVER') AS required
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  for (const c of cols.rows) columns.set(c.table, [...(columns.get(c.table) ?? []), c]);
  const enums = await su.query<{ typname: string; label: string }>(
    `SELECT DISTINCT ON (t.typname) t.typname, e.enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid ORDER BY t.typname, e.enumsortorder`,
  );
  for (const e of enums.rows) enumLabels.set(e.typname, e.label);
  const fks = await su.query<{
    table: string;
    column: string;
    parent: string;
    parent_column: string;
  }>(
    `SELECT cl.relname AS table, att.attname AS column, pcl.relname AS parent, patt.attname AS parent_column
       FROM pg_constraint con
       JOIN LATERAL unnest(con.conkey, con.confkey) AS k(attnum, fattnum) ON true
       JOIN pg_class cl ON cl.oid = con.conrelid
       JOIN pg_class pcl ON pcl.oid = con.confrelid
       JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.attnum
       JOIN pg_attribute patt ON patt.attrelid = con.confrelid AND patt.attnum = k.fattnum
      WHERE con.contype = 'f' AND con.connamespace = 'public'::regnamespace`,
  );
  for (const f of fks.rows)
    foreignKeys.set(`${f.table}.${f.column}`, { parent: f.parent, parentColumn: f.parent_column });
  const keyedByTenant = await su.query<{ table: string }>(
    `SELECT cl.relname AS table FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid
      WHERE con.contype = 'p' AND con.connamespace = 'public'::regnamespace AND array_length(con.conkey, 1) = 1
        AND (SELECT attname FROM pg_attribute WHERE attrelid = con.conrelid AND attnum = con.conkey[1]) = 'municipality_id'`,
  );
  for (const r of keyedByTenant.rows) oneRowPerTenant.add(r.table);
  // One row of each municipality in every tenant table, written past RLS (superuser), parents first.
  const parentsOf = (t: string): string[] =>
    [...foreignKeys.entries()]
      .filter(([k, f]) => k.startsWith(`${t}.`) && f.parent !== t && tables.includes(f.parent))
      .map(([, f]) => f.parent);
  const seeded = new Set<string>();
  while (seeded.size < tables.length) {
    const next = tables.find((t) => !seeded.has(t) && parentsOf(t).every((p) => seeded.has(p)));
    if (!next)
      throw new Error(
        `foreign keys in a cycle among ${tables.filter((t) => !seeded.has(t)).join(', ')}`,
      );
    for (const m of [a, b]) await su.query(...(await insertFor(next, m)));
    seeded.add(next);
  }
}, 120_000);

afterAll(async () => {
  await ds?.destroy();
  await su?.end();
  await db?.drop();
});

describe('tenant isolation: every tenant table as the app role', () => {
  it('covers every table with a municipality_id that is not a reviewed exception', () => {
    expect(tables).toEqual(
      expect.arrayContaining([
        'audit_log',
        'cases',
        'documents',
        'persons',
        'tasks',
        'timeline_events',
      ]),
    );
    expect(tables.length).toBeGreaterThanOrEqual(19);
  });

  it('shows tenant A zero rows of B (and its own), and no rows at all without a tenant', async () => {
    expect(await readProblems()).toEqual([]);
  });

  it("refuses tenant A an insert for B, takes A's own, and changes or removes no row of B", async () => {
    expect(await writeProblems(tables)).toEqual([]);
  });

  it('names the table whose policy lets another tenant through (the check itself can fail)', async () => {
    await su.query(`CREATE POLICY zz_leak ON persons FOR SELECT USING (true)`);
    try {
      expect(await readProblems()).toEqual([
        'persons: tenant A sees 1 row(s) of another municipality',
        'persons: 2 row(s) visible with no tenant set',
      ]);
    } finally {
      await su.query(`DROP POLICY zz_leak ON persons`);
    }
    await su.query(`CREATE POLICY zz_leak ON persons FOR INSERT WITH CHECK (true)`);
    try {
      expect(await writeProblems(['persons'])).toEqual([
        'persons: an insert for B as tenant A was not refused (inserted)',
        'persons: B has 2 row(s), expected its 1',
      ]);
    } finally {
      await su.query(`DROP POLICY zz_leak ON persons`);
      await su.query(
        `DELETE FROM persons WHERE municipality_id = $1 AND id NOT IN (SELECT id FROM persons WHERE municipality_id = $1 ORDER BY created_at LIMIT 1)`,
        [b],
      );
    }
  });
});

describe('tenant isolation: pooled connections interleaving two tenants under load', () => {
  it('keeps every variant of TenantDb within its tenant, and leaves no tenant setting on any pooled connection', async () => {
    // A new way into tenant data (method) must be added to VARIANTS.
    expect(Object.getOwnPropertyNames(TenantDb.prototype).sort()).toEqual(['constructor', 'run']);
    const [{ jit: jitDefault }] = (await ds.query(`SELECT current_setting('jit') AS jit`)) as {
      jit: string;
    }[];
    // One statement reading the municipality of every row in every tenant table.
    const everyTable = `SELECT DISTINCT municipality_id::text AS m FROM (${tables.map((t) => `SELECT municipality_id FROM ${q(t)}`).join(' UNION ALL ')}) x`;
    const before = await su.query<{ m: string; n: number }>(
      `SELECT municipality_id AS m, count(*)::int AS n FROM persons GROUP BY 1`,
    );
    const personsOf = (m: string): number => before.rows.find((r) => r.m === m)?.n ?? 0;
    const personInsert = new Map([
      [a, await insertFor('persons', a)],
      [b, await insertFor('persons', b)],
    ]);
    const N = 400;
    const results = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const t = i % 2 === 0 ? a : b;
        const variant = VARIANTS[Math.floor(i / 2) % VARIANTS.length];
        const failing = i % 10 === 9; // rolled back after its work: the setting must not outlive it either
        const run = variant.run(tenantDb, t, async (query) => {
          const [ctx] = (await query(
            `SELECT current_tenant()::text AS tenant, pg_backend_pid() AS pid, current_setting('jit') AS jit`,
          )) as { tenant: string; pid: number; jit: string }[];
          await query(...personInsert.get(t)!);
          const seen = ((await query(everyTable)) as { m: string }[]).map((r) => r.m);
          if (failing) throw new Rollback();
          return { ...ctx, seen };
        });
        const r = await run.catch((e: unknown) =>
          e instanceof Rollback ? null : Promise.reject(e),
        );
        return { i, t, variant: variant.name, failing, r };
      }),
    );
    const crossed = results.filter(({ t, r }) => r && (r.tenant !== t || r.seen.join() !== t));
    expect(crossed).toEqual([]);
    const wrongJit = results.filter(
      ({ variant, r }) => r && r.jit !== (variant === 'run { jit: false }' ? 'off' : jitDefault),
    );
    expect(wrongJit).toEqual([]);
    // The load did interleave: connections served both tenants in turn.
    const tenantsOfPid = new Map<number, Set<string>>();
    for (const { t, r } of results)
      if (r) tenantsOfPid.set(r.pid, (tenantsOfPid.get(r.pid) ?? new Set()).add(t));
    expect(tenantsOfPid.size).toBeGreaterThan(1);
    expect([...tenantsOfPid.values()].some((s) => s.size === 2)).toBe(true);
    const committed = (m: string): number => results.filter((x) => x.t === m && !x.failing).length;
    const after = await su.query<{ m: string; n: number }>(
      `SELECT municipality_id AS m, count(*)::int AS n FROM persons GROUP BY 1`,
    );
    expect(after.rows.find((r) => r.m === a)?.n).toBe(personsOf(a) + committed(a));
    expect(after.rows.find((r) => r.m === b)?.n).toBe(personsOf(b) + committed(b));
    // Every connection of the pool, held at once: none carries a tenant or the JIT switch.
    const runners = Array.from({ length: POOL }, () => ds.createQueryRunner());
    try {
      const states = await Promise.all(
        runners.map(async (qr) => {
          await qr.connect();
          const [s] = (await qr.query(
            `SELECT pg_backend_pid() AS pid, current_setting('app.municipality_id', true) AS tenant, current_setting('jit') AS jit, (${`SELECT count(*)::int FROM (${everyTable}) v`}) AS visible`,
          )) as { pid: number; tenant: string | null; jit: string; visible: number }[];
          return s;
        }),
      );
      expect(new Set(states.map((s) => s.pid)).size).toBe(POOL);
      expect(
        states.filter((s) => (s.tenant ?? '') !== '' || s.jit !== jitDefault || s.visible !== 0),
      ).toEqual([]);
    } finally {
      await Promise.all(runners.map((qr) => qr.release()));
    }
  }, 120_000);
});
