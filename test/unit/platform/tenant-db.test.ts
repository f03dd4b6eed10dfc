import type { DataSource } from 'typeorm';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';

/**
 * The tenant id goes into the statement that opens the transaction (as a literal, with
 * set_config) only when it is exactly a UUID; nothing reaches the database otherwise.
 */
describe('TenantDb', () => {
  const id = '7d8f2c1e-5a4b-4c3d-9e2f-1a2b3c4d5e6f';
  /**
   * A query runner shaped like TypeORM's (methods on the prototype, as TenantDb replaces `query` on
   * the instance for the start only): startTransaction sends START TRANSACTION through query.
   */
  class FakeRunner {
    readonly sent: string[] = [];
    data = {};
    manager: { queryRunner?: FakeRunner } = {};
    release = jest.fn(async () => undefined);
    constructor() {
      this.manager.queryRunner = this;
    }
    async query(q: string): Promise<void> {
      this.sent.push(q);
    }
    async startTransaction(): Promise<void> {
      await this.query('START TRANSACTION');
    }
    async commitTransaction(): Promise<void> {
      await this.query('COMMIT');
    }
    async rollbackTransaction(): Promise<void> {
      await this.query('ROLLBACK');
    }
  }
  const fakeDs = () => {
    const qr = new FakeRunner();
    const createQueryRunner = jest.fn(() => qr);
    return {
      ds: { createQueryRunner } as unknown as DataSource,
      createQueryRunner,
      sent: qr.sent,
      qr,
    };
  };

  it.each([
    ['text before a UUID', `x${id}`],
    ['text after a UUID', `${id}x`],
    ['a UUID with SQL after it', `${id}'; RESET ALL; --`],
    ['no UUID', 'riga'],
  ])('refuses %s before opening a transaction', async (_what, bad) => {
    const { ds, createQueryRunner } = fakeDs();
    await expect(new TenantDb(ds).run(bad, async () => 1)).rejects.toThrow(
      new Error(`invalid municipality id: ${bad}`),
    );
    expect(createQueryRunner).not.toHaveBeenCalled();
  });

  it('accepts a UUID in either case, opening the transaction and setting it in one statement', async () => {
    const { ds, sent, qr } = fakeDs();
    await expect(new TenantDb(ds).run(id.toUpperCase(), async () => 'done')).resolves.toBe('done');
    expect(sent).toEqual([
      `START TRANSACTION; SELECT set_config('app.municipality_id', '${id.toUpperCase()}', true)`,
      'COMMIT',
    ]);
    expect(qr.release).toHaveBeenCalledTimes(1);
  });

  it('rolls back and releases when the work fails, and reports the work’s error', async () => {
    const { ds, sent, qr } = fakeDs();
    await expect(
      new TenantDb(ds).run(id, async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(sent.at(-1)).toBe('ROLLBACK');
    expect(qr.release).toHaveBeenCalledTimes(1);
  });
});
