import { DynamicModule, Module, type Type } from '@nestjs/common';
import { CasesModule } from './cases/cases.module';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { ClockModule } from './platform/clock/clock.module';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { DeliveryModule } from './delivery/delivery.module';
import { ServiceStatusModule } from './cases/service-status/service-status.module';
import { DocumentsModule } from './documents/documents.module';
import { EngineModule } from './engine/engine.module';
import { RegistersModule } from './integrations/registers.module';
import { PersonsModule } from './persons/persons.module';
import { ReferenceModule } from './modules/reference/reference.module';
import { ResidenceModule } from './modules/residence/residence.module';
import { SocialAssistanceModule } from './modules/social-assistance/social-assistance.module';
import { AuditModule } from './platform/audit/audit.module';
import { AuthModule } from './platform/auth/auth.module';
import { DatabaseModule } from './platform/database/database.module';
import { HealthModule } from './platform/health/health.module';
import { I18nModule } from './platform/i18n/i18n.module';
import { LoggingModule } from './platform/logging/logging.module';
import { WebModule } from './web/web.module';
import { WorkspaceModule } from './workspace/workspace.module';
import { CorrespondenceModule } from './correspondence/correspondence.module';
import { PortalModule } from './portal/portal.module';
import { AdminModule } from './admin/admin.module';
import { ParametersModule } from './parameters/parameters.module';
import { ProcessesModule } from './processes/processes.module';
import { PaymentsModule } from './payments/payments.module';

/**
 * The whole application. One module per line below, so parallel work merges without conflicts.
 * `extra`: modules added by tests (e.g. probe controllers); none in production.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, extra: (Type | DynamicModule)[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule,
        LoggingModule,
        DatabaseModule,
        I18nModule,
        AuditModule,
        AuthModule,
        HealthModule,
        WebModule,
        ProcessesModule,
        EngineModule,
        CasesModule,
        DeadlinesModule,
        DeliveryModule,
        ServiceStatusModule,
        DocumentsModule,
        RegistersModule.forRoot(config),
        PersonsModule,
        WorkspaceModule,
        CorrespondenceModule,
        PortalModule,
        AdminModule,
        ParametersModule,
        ResidenceModule,
        ReferenceModule,
        SocialAssistanceModule,
        PaymentsModule,
        ...extra,
      ],
    };
  }
}
