import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
import { AfterCommitSubscriber } from './after-commit';
import { discoverFiles, loadClasses } from './discover';

const SRC = join(__dirname, '..', '..');

/** Every *.entity file under src/, so new modules need no registration here. */
export const entityClasses = (): Function[] => loadClasses(discoverFiles(SRC, '.entity'));
/**
 * The platform's migrations (./migrations) and each process module's (src/modules/<module>/migrations),
 * one list: TypeORM runs them in the order of their class names' timestamps, wherever they are.
 */
export const migrationDirs = (): string[] => {
  const modules = join(SRC, 'modules');
  return [
    join(__dirname, 'migrations'),
    ...(existsSync(modules)
      ? readdirSync(modules)
          .sort()
          .map((m) => join(modules, m, 'migrations'))
      : []),
  ].filter((d) => existsSync(d));
};
export const migrationClasses = (): Function[] =>
  migrationDirs().flatMap((d) => loadClasses(discoverFiles(d, '')).filter((c) => c.name !== ''));

export function dataSourceOptions(
  url: string,
  extra: Partial<DataSourceOptions> = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: entityClasses(),
    migrations: migrationClasses(),
    subscribers: [AfterCommitSubscriber],
    migrationsTableName: 'typeorm_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    ...extra,
  } as DataSourceOptions;
}
