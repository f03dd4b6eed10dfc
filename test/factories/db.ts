import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Where a factory writes: a running app (its own DataSource) or a DataSource a harness opened. */
export type Db = DataSource | INestApplication;

export const dataSourceOf = (db: Db): DataSource =>
  db instanceof DataSource ? db : db.get(DataSource);
