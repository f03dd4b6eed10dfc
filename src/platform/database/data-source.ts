import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/config';
import { dataSourceOptions } from './data-source-options';

/** Used by the TypeORM CLI (migration:generate) and `civitas migrate`: connects as the schema owner. */
export default new DataSource(dataSourceOptions(loadConfig().DATABASE_OWNER_URL));
