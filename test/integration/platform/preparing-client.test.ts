import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config/config';
import { dataSourceOptions } from '../../../src/platform/database/data-source-options';
import { preparingClient } from '../../../src/platform/database/preparing-client';

let ds: DataSource;

beforeAll(async () => {
  // One connection, so every query below meets the same server session.
  ds = await new DataSource(
    dataSourceOptions(loadConfig().DATABASE_URL, { extra: { max: 1, Client: preparingClient() } }),
  ).initialize();
});

afterAll(() => ds.destroy());

const prepared = async (): Promise<string[]> =>
  ((await ds.query(`SELECT statement FROM pg_prepared_statements`)) as { statement: string }[]).map(
    (r) => r.statement,
  );

describe('application pool: repeated queries as prepared statements', () => {
  it('prepares a parameterised text from its second use and runs it with new values after', async () => {
    const text = `SELECT $1::int + $2::int AS sum, ${Math.floor(Math.random() * 1e9)} AS tag`;
    expect(await ds.query(text, [1, 2])).toMatchObject([{ sum: 3 }]);
    expect(await prepared()).not.toContain(text);
    expect(await ds.query(text, [2, 3])).toMatchObject([{ sum: 5 }]);
    expect(await prepared()).toContain(text);
    expect(await ds.query(text, [40, 2])).toMatchObject([{ sum: 42 }]);
  });

  it('leaves parameterless texts on the simple protocol, multi-statement scripts included', async () => {
    const script = `SELECT 1 AS one; SELECT 2 AS two`;
    for (let i = 0; i < 3; i++) await ds.query(script);
    expect(await prepared()).not.toContain(script);
  });

  it('keeps transactions and errors on a prepared text as before', async () => {
    const text = `SELECT $1::uuid AS id`;
    const id = randomUUID();
    for (let i = 0; i < 2; i++)
      expect(await ds.transaction((em) => em.query(text, [id]))).toEqual([{ id }]);
    await expect(ds.query(text, ['not a uuid'])).rejects.toThrow(
      /invalid input syntax for type uuid/,
    );
    expect(await ds.query(text, [id])).toEqual([{ id }]);
  });
});
