import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** SQL that would bring the migrated schema in line with the entities (empty = no drift). */
export async function pendingSchemaChanges(
  ownerUrl: string,
): Promise<{ up: string[]; down: string[] }> {
  const ds = new DataSource(dataSourceOptions(ownerUrl));
  await ds.initialize();
  try {
    const log = await ds.driver.createSchemaBuilder().log();
    return {
      up: log.upQueries.map((q) => q.query),
      down: log.downQueries.map((q) => q.query).reverse(),
    };
  } finally {
    await ds.destroy();
  }
}

const esc = (s: string): string =>
  s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');

/** Writes a TypeORM migration class for the pending changes; returns its path, or null if none. */
export async function generateMigration(
  ownerUrl: string,
  name: string,
  dir: string,
): Promise<string | null> {
  const { up, down } = await pendingSchemaChanges(ownerUrl);
  if (up.length === 0) return null;
  const ts = Date.now();
  const cls = `${name.replace(/[^A-Za-z0-9]/g, '')}${ts}`;
  const body = (qs: string[]): string =>
    qs.map((q) => `    await queryRunner.query(\`${esc(q)}\`);`).join('\n');
  const file = join(dir, `${ts}-${name}.ts`);
  writeFileSync(
    file,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${cls} implements MigrationInterface {
  name = '${cls}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${body(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${body(down)}
  }
}
`,
  );
  return file;
}
