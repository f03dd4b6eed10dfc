import { DataSource } from 'typeorm';
import { pendingSchemaChanges } from '../../../src/platform/database/migration-generator';
import {
  dataSourceOptions,
  migrationClasses,
} from '../../../src/platform/database/data-source-options';
import { createTestDatabase } from '../../support/test-db';

const ownerUrl = (): string => process.env.DATABASE_OWNER_URL!;

describe('migrations', () => {
  it('leave nothing for TypeORM to generate: entities and migrations agree', async () => {
    const { up } = await pendingSchemaChanges(ownerUrl());
    expect(up).toEqual([]);
  });

  it("are the platform's and the process modules' (src/modules/*/migrations), by the names databases recorded", () => {
    const names = migrationClasses().map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(['Residence1795603186569', 'ResidenceFeesAsParameters1795604400000']),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  // On a database of its own: dropping every table under the other test files running in
  // parallel workers would fail them.
  it('revert all the way down and apply again', async () => {
    const db = await createTestDatabase('civitas_test_mig');
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
