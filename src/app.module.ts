import { DynamicModule, Module, type Type } from '@nestjs/common';
import type { AppConfig } from './config/config';
import { CasesModule } from './cases/cases.module';
import { ConfigModule } from './config/config.module';
import { AuditModule } from './platform/audit/audit.module';
import { AuthModule } from './platform/auth/auth.module';
import { DocumentsModule } from './documents/documents.module';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { DeliveryModule } from './delivery/delivery.module';
import { EngineModule } from './engine/engine.module';
import { DatabaseModule } from './platform/database/database.module';
import { HealthModule } from './platform/health/health.module';
import { I18nModule } from './platform/i18n/i18n.module';
import { LoggingModule } from './platform/logging/logging.module';
import { WebModule } from './web/web.module';
import { RegistersModule } from './integrations/registers.module';
import { PersonsModule } from './modules/persons/persons.module';

@Module({})
export class AppModule {
  /** `extra`: modules added by tests (e.g. probe controllers); none in production. */
  static forRoot(config: AppConfig, extra: (Type | DynamicModule)[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        I18nModule,
        AuthModule,
        HealthModule,
        WebModule,
        AuditModule,
        ...extra,
      ],
      imports: [ConfigModule.forRoot(config), LoggingModule, DatabaseModule, HealthModule, RegistersModule.forRoot(config), PersonsModule],
      imports: [ConfigModule.forRoot(config), LoggingModule, DatabaseModule, HealthModule, DocumentsModule],
      imports: [ConfigModule.forRoot(config), LoggingModule, DatabaseModule, HealthModule, DeliveryModule, DeadlinesModule],
      imports: [ConfigModule.forRoot(config), LoggingModule, DatabaseModule, HealthModule, EngineModule, CasesModule],
    };
  }
}
