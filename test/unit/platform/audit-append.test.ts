import type { DataSource, EntityManager } from 'typeorm';
import {
  appendEntries,
  appendEntry,
  ChainMisuse,
  GENESIS_HASH,
  verifyChain,
  type AppendFields,
} from '../../../src/platform/audit/audit-chain';

/**
 * The parts of the audit chain around the database call: which chain an append goes to, how the
 * database's refusals come back, and what verification asks of the transaction. The hashing and
 * the walk itself are tested against PostgreSQL (test/integration/platform/audit.test.ts).
 */
const entry = (municipalityId: string | null): AppendFields => ({
  municipalityId,
  actorAccountId: null,
  actorDisplay: 'Ilze',
  actorRole: 'caseworker',
  action: 'case.read',
  subjectType: 'case',
  subjectId: 'c-1',
  personId: null,
  purpose: 'case handling',
  requestId: null,
  ip: null,
  details: {},
});

describe('audit chain: appending', () => {
  it('refuses entries of two chains in one append, before asking the database', async () => {
    const query = jest.fn();
    await expect(appendEntries(query, [entry('m-1'), entry('m-2')], true)).rejects.toEqual(
      new ChainMisuse('one append, one chain'),
    );
    await expect(appendEntries(query, [entry(null), entry('m-1')], true)).rejects.toThrow(
      ChainMisuse,
    );
    expect(query).not.toHaveBeenCalled();
  });

  it('appends nothing for no entries (the platform chain, no rows)', async () => {
    const query = jest.fn(async () => []);
    await expect(appendEntries(query, [], true)).resolves.toEqual([]);
    expect((query.mock.calls[0] as unknown[])[1]).toEqual([
      true,
      null,
      [],
      [],
      [],
      [],
      [],
      [],
      [],
      [],
      [],
      [],
      [],
      [],
      [],
      [],
    ]);
  });

  it('turns the database’s chain refusal (SQLSTATE CV001) into ChainMisuse, from TypeORM or from pg', async () => {
    const typeorm = Object.assign(new Error('needs READ COMMITTED'), {
      driverError: { code: 'CV001' },
    });
    const pg = Object.assign(new Error('in a transaction of tenant x'), { code: 'CV001' });
    // toEqual compares only the message of errors: check the class as well.
    const fromTypeorm = await appendEntries(
      () => Promise.reject(typeorm),
      [entry('m-1')],
      false,
    ).catch((e: unknown) => e);
    expect(fromTypeorm).toBeInstanceOf(ChainMisuse);
    expect((fromTypeorm as Error).message).toBe('needs READ COMMITTED');
    const fromPg = await appendEntries(() => Promise.reject(pg), [entry('m-1')], false).catch(
      (e: unknown) => e,
    );
    expect(fromPg).toBeInstanceOf(ChainMisuse);
    expect((fromPg as Error).message).toBe('in a transaction of tenant x');
  });

  it('passes any other database error on unchanged', async () => {
    const other = Object.assign(new Error('duplicate key'), {
      driverError: { code: '23505' },
      code: 'CV001x',
    });
    const plain = new Error('connection lost');
    await expect(appendEntries(() => Promise.reject(other), [entry('m-1')], false)).rejects.toBe(
      other,
    );
    await expect(appendEntries(() => Promise.reject(plain), [entry('m-1')], false)).rejects.toBe(
      plain,
    );
  });

  it('appends one entry inside the caller’s transaction (holding the chain lock until it ends)', async () => {
    const query = jest.fn(async () => [
      { seq: '1', at: new Date('2026-12-03T10:00:00Z'), prev_hash: GENESIS_HASH, hash: 'h1' },
    ]);
    const em = { queryRunner: { isTransactionActive: true }, query } as unknown as EntityManager;
    await expect(appendEntry(em, entry('m-1'))).resolves.toMatchObject({
      seq: '1',
      prevHash: GENESIS_HASH,
      hash: 'h1',
      municipalityId: 'm-1',
    });
    expect((query.mock.calls[0] as unknown[][])[1][0]).toBe(false);
    await expect(
      appendEntry(
        { queryRunner: { isTransactionActive: false }, query } as unknown as EntityManager,
        entry('m-1'),
      ),
    ).rejects.toEqual(new ChainMisuse('audit append needs an open transaction'));
  });
});

describe('audit chain: verifying', () => {
  const fakeDs = () => {
    const queries: string[] = [];
    const isolation: string[] = [];
    const ds = {
      transaction: async (level: string, fn: (em: EntityManager) => Promise<unknown>) => {
        isolation.push(level);
        return fn({
          query: async (sql: string) => (
            queries.push(sql.trim().split(/\s+/).slice(0, 2).join(' ')),
            []
          ),
        } as unknown as EntityManager);
      },
    } as unknown as DataSource;
    return { ds, queries, isolation };
  };

  it('reads a tenant chain in one REPEATABLE READ snapshot with the tenant set first', async () => {
    const { ds, queries, isolation } = fakeDs();
    expect(await verifyChain(ds, 'm-1')).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
    expect(isolation).toEqual(['REPEATABLE READ']);
    expect(queries).toEqual(["SELECT set_config('app.municipality_id',", 'SELECT seq::text']);
  });

  it('reads the platform chain with no tenant set', async () => {
    const { ds, queries, isolation } = fakeDs();
    expect(await verifyChain(ds, null)).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
    expect(isolation).toEqual(['REPEATABLE READ']);
    expect(queries).toEqual(['SELECT seq::text']);
  });
});
