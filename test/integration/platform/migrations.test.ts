import { DataSource } from 'typeorm';
import { pendingSchemaChanges } from '../../../src/platform/database/migration-generator';
import { dataSourceOptions } from '../../../src/platform/database/data-source-options';

const ownerUrl = (): string => process.env.DATABASE_OWNER_URL!;

describe('migrations', () => {
  it('leave nothing for TypeORM to generate: entities and migrations agree', async () => {
    const { up } = await pendingSchemaChanges(ownerUrl());
    expect(up).toEqual([]);
  });

  it('revert all the way down and apply again', async () => {
    const ds = new DataSource(dataSourceOptions(ownerUrl()));
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
    }
  });
});
