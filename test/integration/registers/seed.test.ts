import { Client } from 'pg';
import { seedRegisters } from '../../../src/integrations/sim/seed';
import { SIM_COPY_COLUMNS, SIM_TABLES } from '../../../src/integrations/sim/population-generator';
import { createTestDatabase, type TestDatabase } from '../../support/test-db';

/** md5 of every simulator table's full content in a stable order. */
async function fingerprint(url: string): Promise<Record<string, string>> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const out: Record<string, string> = {};
    for (const t of SIM_TABLES) {
      const cols = SIM_COPY_COLUMNS[t];
      const r = await c.query(
        `SELECT md5(string_agg(x, '|' ORDER BY x)) AS h FROM (SELECT (${cols
          .split(', ')
          .map((col) => `coalesce(${col}::text, '∅')`)
          .join(` || ',' || `)}) AS x FROM ${t}) s`,
      );
      out[t] = r.rows[0].h as string;
    }
    return out;
  } finally {
    await c.end();
  }
}

describe('simulator seeding', () => {
  let db: TestDatabase;
  let indexesAfterMigration: number;
  const countIndexes = async (c: Client): Promise<number> =>
    (await c.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename LIKE 'sim\\_%'`))
      .rows[0].n as number;
  beforeAll(async () => {
    db = await createTestDatabase('civitas_test_seed');
    const c = new Client({ connectionString: db.ownerUrl });
    await c.connect();
    indexesAfterMigration = await countIndexes(c);
    await c.end();
  });
  afterAll(() => db.drop());

  it('loads the same data for the same seed, different data for another, and skips an identical reseed', async () => {
    const first = await seedRegisters(db.ownerUrl, { seed: 7, persons: 2000 });
    expect(first).toMatchObject({ skipped: false, persons: 2000 });
    expect(first.rows.sim_persons).toBe(2000);
    const a = await fingerprint(db.ownerUrl);

    expect(await seedRegisters(db.ownerUrl, { seed: 7, persons: 2000 })).toMatchObject({
      skipped: true,
    });

    await seedRegisters(db.ownerUrl, { seed: 8, persons: 2000 });
    const b = await fingerprint(db.ownerUrl);
    expect(b.sim_persons).not.toBe(a.sim_persons);

    const again = await seedRegisters(db.ownerUrl, { seed: 7, persons: 2000, batchPersons: 300 });
    expect(again.skipped).toBe(false);
    expect(await fingerprint(db.ownerUrl)).toEqual(a);
  });

  it('leaves indexes, keys and sequences in place after the load', async () => {
    await seedRegisters(db.ownerUrl, { seed: 7, persons: 2000, force: true });
    const c = new Client({ connectionString: db.ownerUrl });
    await c.connect();
    try {
      expect(await countIndexes(c)).toBe(indexesAfterMigration);
      expect(indexesAfterMigration).toBeGreaterThanOrEqual(18);
      const ins = await c.query(
        `INSERT INTO sim_residences (personal_code, address_code, valid_from, status) VALUES ('x', 'y', '2026-01-01', 'active') RETURNING id::int AS id`,
      );
      const max = await c.query(
        `SELECT max(id)::int AS m FROM sim_residences WHERE personal_code <> 'x'`,
      );
      expect(ins.rows[0].id).toBe(max.rows[0].m + 1);
      await expect(
        c.query(`INSERT INTO sim_persons SELECT * FROM sim_persons LIMIT 1`),
      ).rejects.toThrow(/duplicate key/);
    } finally {
      await c.end();
    }
  });
});
