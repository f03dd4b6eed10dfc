import { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config/config';
import { afterCommit } from '../../../src/platform/database/after-commit';
import { dataSourceOptions } from '../../../src/platform/database/data-source-options';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { createMunicipality } from '../../factories/municipalities';

let ds: DataSource;
let tenantDb: TenantDb;
let mun: string;

beforeAll(async () => {
  ds = new DataSource(dataSourceOptions(loadConfig().DATABASE_URL, { extra: { max: 2 } }));
  await ds.initialize();
  tenantDb = new TenantDb(ds);
  mun = (await createMunicipality(ds)).id;
});
afterAll(() => ds.destroy());

describe('afterCommit', () => {
  it('runs once the outermost transaction has committed, not before, and is done when TenantDb.run returns', async () => {
    const calls: string[] = [];
    await tenantDb.run(mun, async (em) => {
      afterCommit(em, async () => {
        calls.push('outer');
      });
      await em.transaction(async (inner) => {
        afterCommit(inner, async () => {
          calls.push('savepoint');
        });
      });
      // The savepoint was released (a commit broadcast), yet nothing ran: the transaction is open.
      expect(calls).toEqual([]);
    });
    expect(calls).toEqual(['outer', 'savepoint']);
  });

  it('never runs when the transaction rolls back', async () => {
    const calls: string[] = [];
    await expect(
      tenantDb.run(mun, async (em) => {
        afterCommit(em, async () => {
          calls.push('outer');
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([]);
  });

  it('drops what a rolled-back savepoint registered, keeps the rest (also after a released savepoint)', async () => {
    const calls: string[] = [];
    await tenantDb.run(mun, async (em) => {
      await em.transaction(async (a) => {
        await a.transaction(async (b) => {
          afterCommit(b, async () => {
            calls.push('released');
          });
        });
        await a
          .transaction(async (c) => {
            afterCommit(c, async () => {
              calls.push('rolled back');
            });
            throw new Error('inner');
          })
          .catch(() => undefined);
      });
    });
    expect(calls).toEqual(['released']);
  });

  it('a callback that fails is logged and does not fail the committed transaction', async () => {
    const ran: string[] = [];
    const n = await tenantDb.run(mun, async (em) => {
      afterCommit(em, () => Promise.reject(new Error('engine down')));
      afterCommit(em, async () => {
        ran.push('next');
      });
      return 7;
    });
    expect(n).toBe(7);
    expect(ran).toEqual(['next']);
  });

  it('refuses an entity manager outside a transaction', () => {
    expect(() => afterCommit(ds.manager, async () => undefined)).toThrow('open transaction');
  });

  it('runs on the next turn for a transaction not opened through TenantDb', async () => {
    let ran = false;
    await ds.transaction(async (em) => {
      afterCommit(em, async () => {
        ran = true;
      });
    });
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(true);
  });
});
