import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
import { AfterCommitSubscriber } from './after-commit';
import { discoverFiles, loadClasses } from './discover';

const SRC = join(__dirname, '..', '..');

/** Every *.entity file under src/, so new modules need no registration here. */
export const entityClasses = (): Function[] => loadClasses(discoverFiles(SRC, '.entity'));
export const migrationClasses = (): Function[] =>
  existsSync(join(__dirname, 'migrations'))
    ? loadClasses(discoverFiles(join(__dirname, 'migrations'), '')).filter((c) => c.name !== '')
    : [];

export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
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
