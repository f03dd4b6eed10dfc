import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config';
import { dataSourceOptions } from '../../platform/database/data-source-options';

/**
 * The register simulators' own connection pool. The simulators stand in for other institutions'
 * systems, and like those they must not draw on the application's pool: an activity that asks a
 * register while it holds a transaction (the delivery router asks the population register for a
 * postal address) would otherwise wait for a second connection from the pool its first one came
 * from, and as many such activities as the pool has connections stall every one of them.
 */
export const SIMULATOR_DB = Symbol('SIMULATOR_DB');

export function simulatorDbProvider(config: AppConfig): Provider {
  return {
    provide: SIMULATOR_DB,
    useFactory: () =>
      new DataSource(
        dataSourceOptions(config.DATABASE_URL, {
          extra: { max: Math.max(4, Math.ceil(config.DATABASE_POOL_SIZE / 2)) },
        } as never),
      ).initialize(),
  };
}

/** Closes the simulators' pool with the application. */
@Injectable()
export class SimulatorDbShutdown implements OnApplicationShutdown {
  constructor(@Inject(SIMULATOR_DB) private readonly db: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.db.isInitialized) await this.db.destroy();
  }
}
