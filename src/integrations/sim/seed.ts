import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  PopulationGenerator,
  SIM_COPY_COLUMNS,
  SIM_TABLES,
  type SimRows,
} from './population-generator';
import { writeDemoResidents } from './demo-residents';

export interface SeedOptions {
  seed: number;
  persons: number;
  /** Re-seed even if the same seed and size are already loaded. */
  force?: boolean;
  /** Persons generated per COPY round (bounds memory). */
  batchPersons?: number;
  log?: (msg: string) => void;
}

export interface SeedReport {
  skipped: boolean;
  seed: number;
  persons: number;
  rows: Record<string, number>;
  ms: number;
}

const LOCK_KEY = 727_001; // pg_advisory_xact_lock key for simulator seeding

async function copyRows(c: Client, table: keyof SimRows, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const stream = c.query(copyFrom(`COPY ${table} (${SIM_COPY_COLUMNS[table]}) FROM STDIN`));
  const CHUNK = 5000;
  async function* chunks(): AsyncGenerator<string> {
    for (let i = 0; i < lines.length; i += CHUNK) yield lines.slice(i, i + CHUNK).join('');
  }
  await pipeline(Readable.from(chunks()), stream);
}

/**
 * Loads the register simulators' synthetic population (truncating what was there) in one
 * transaction, as the schema owner: secondary indexes and primary keys are dropped during the
 * COPY and rebuilt after, which is several times faster than maintaining them row by row.
 * Concurrent callers serialise on an advisory lock; with the same seed and size already loaded
 * it does nothing (so test files sharing a database can all ask for the standard population).
 * The demo residents of the development identity provider are added to every load.
 */
export async function seedRegisters(ownerUrl: string, opts: SeedOptions): Promise<SeedReport> {
  const started = Date.now();
  const log = opts.log ?? ((): void => undefined);
  const c = new Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const info = await c.query<{ seed: number; persons: number }>(
      'SELECT seed, persons FROM sim_seed_info WHERE id = 1',
    );
    if (!opts.force && info.rows[0]?.seed === opts.seed && info.rows[0]?.persons === opts.persons) {
      await c.query('COMMIT');
      return {
        skipped: true,
        seed: opts.seed,
        persons: opts.persons,
        rows: {},
        ms: Date.now() - started,
      };
    }
    await c.query(`SET LOCAL maintenance_work_mem = '512MB'`);
    await c.query(`TRUNCATE ${SIM_TABLES.join(', ')}, sim_seed_info RESTART IDENTITY`);
    const rebuild = await dropIndexes(c);
    const gen = new PopulationGenerator(opts.seed);
    const counts: Record<string, number> = Object.fromEntries(SIM_TABLES.map((t) => [t, 0]));
    const batch = opts.batchPersons ?? 50_000;
    while (gen.personsMade < opts.persons) {
      const rows = gen.generate(Math.min(opts.persons, gen.personsMade + batch), opts.persons);
      for (const t of SIM_TABLES) {
        await copyRows(c, t, rows[t]);
        counts[t] += rows[t].length;
      }
      log(`  ${gen.personsMade} persons loaded (${Date.now() - started} ms)`);
    }
    log(`  rebuilding ${rebuild.length} indexes and keys`);
    for (const sql of rebuild) await c.query(sql);
    for (const t of ['sim_residences', 'sim_property_shares']) {
      await c.query(
        `SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT COALESCE(max(id), 0) + 1 FROM ${t}), false)`,
      );
    }
    // The dev-IdP residents are part of every population, so a reload never loses them.
    await writeDemoResidents(async (sql, params) => (await c.query(sql, params)).rows as unknown[]);
    await c.query(
      'INSERT INTO sim_seed_info (id, seed, persons, seeded_at) VALUES (1, $1, $2, now())',
      [opts.seed, opts.persons],
    );
    await c.query('COMMIT');
    for (const t of SIM_TABLES) await c.query(`ANALYZE ${t}`);
    return {
      skipped: false,
      seed: opts.seed,
      persons: gen.personsMade,
      rows: counts,
      ms: Date.now() - started,
    };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await c.end();
  }
}

/** Drops the simulator tables' indexes and primary keys; returns the statements that recreate them. */
async function dropIndexes(c: Client): Promise<string[]> {
  const keys = await c.query<{ tbl: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE conrelid = ANY($1::regclass[]) AND contype IN ('p', 'u')`,
    [SIM_TABLES],
  );
  const indexes = await c.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
    [SIM_TABLES],
  );
  for (const i of indexes.rows) await c.query(`DROP INDEX "${i.name}"`);
  for (const k of keys.rows) await c.query(`ALTER TABLE ${k.tbl} DROP CONSTRAINT "${k.name}"`);
  return [
    ...keys.rows.map((k) => `ALTER TABLE ${k.tbl} ADD CONSTRAINT "${k.name}" ${k.def}`),
    ...indexes.rows.map((i) => i.def),
  ];
}
