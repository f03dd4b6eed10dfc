import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './config/config';
import { CasesModule } from './cases/cases.module';
import { ConfigModule } from './config/config.module';
import { EngineModule } from './engine/engine.module';
import { DatabaseModule } from './platform/database/database.module';
import { HealthModule } from './platform/health/health.module';
import { LoggingModule } from './platform/logging/logging.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), LoggingModule, DatabaseModule, HealthModule, EngineModule, CasesModule],
    };
  }
}
