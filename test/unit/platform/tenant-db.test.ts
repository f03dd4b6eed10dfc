import type { DataSource } from 'typeorm';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';

/** The tenant id goes into set_config only when it is exactly a UUID; nothing reaches the database otherwise. */
describe('TenantDb', () => {
  const id = '7d8f2c1e-5a4b-4c3d-9e2f-1a2b3c4d5e6f';
  const fakeDs = () => {
    const transaction = jest.fn((fn: (em: unknown) => Promise<unknown>) =>
      fn({ query: jest.fn(async () => []) }),
    );
    return { ds: { transaction } as unknown as DataSource, transaction };
  };

  it.each([
    ['text before a UUID', `x${id}`],
    ['text after a UUID', `${id}x`],
    ['a UUID with SQL after it', `${id}'; RESET ALL; --`],
    ['no UUID', 'riga'],
  ])('refuses %s before opening a transaction', async (_what, bad) => {
    const { ds, transaction } = fakeDs();
    await expect(new TenantDb(ds).run(bad, async () => 1)).rejects.toThrow(
      new Error(`invalid municipality id: ${bad}`),
    );
    expect(transaction).not.toHaveBeenCalled();
  });

  it('accepts a UUID in either case', async () => {
    const { ds, transaction } = fakeDs();
    await expect(new TenantDb(ds).run(id.toUpperCase(), async () => 'done')).resolves.toBe('done');
    expect(transaction).toHaveBeenCalledTimes(1);
  });
});
