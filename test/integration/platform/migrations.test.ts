import { DataSource } from 'typeorm';
import { pendingSchemaChanges } from '../../../src/platform/database/migration-generator';
import { dataSourceOptions } from '../../../src/platform/database/data-source-options';
import { createTestDatabase } from '../../support/test-db';

const ownerUrl = (): string => process.env.DATABASE_OWNER_URL!;

describe('migrations', () => {
  it('leave nothing for TypeORM to generate: entities and migrations agree', async () => {
    const { up } = await pendingSchemaChanges(ownerUrl());
    expect(up).toEqual([]);
  });

  // On a database of its own: reverting the shared test database would pull the tables from
  // under the test files running in parallel.
  it('revert all the way down and apply again', async () => {
    const db = await createTestDatabase('civitas_mig');
    const ds = new DataSource(dataSourceOptions(db.ownerUrl));
    await ds.initialize();
    try {
      const count = ds.migrations.length;
      for (let i = 0; i < count; i++) await ds.undoLastMigration({ transaction: 'each' });
      const tables = await ds.query(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations'`,
      );
      expect(tables[0].n).toBe(0);
      const again = await ds.runMigrations({ transaction: 'each' });
      expect(again).toHaveLength(count);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
