import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TenantDb } from '../tenancy/tenant-db';
import { dataSourceOptions } from './data-source-options';
import { preparingClient } from './preparing-client';

/** The application's pool connects as the app role (RLS applies); never as the owner. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        dataSourceOptions(config.DATABASE_URL, {
          extra: {
            max: config.DATABASE_POOL_SIZE,
            connectionTimeoutMillis: config.DATABASE_POOL_WAIT_MS,
            ...(config.DATABASE_PREPARED_STATEMENTS ? { Client: preparingClient() } : {}),
          },
        }),
    }),
  ],
  providers: [TenantDb],
  exports: [TenantDb],
})
export class DatabaseModule {}
