import { ParametersModule } from '../../parameters/parameters.module';
import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { CasesModule } from '../../cases/cases.module';
import { DeadlinesModule } from '../../deadlines/deadlines.module';
import { DeliveryModule } from '../../delivery/delivery.module';
import { DocumentsModule } from '../../documents/documents.module';
import { PersonsModule } from '../../persons/persons.module';
import { AuditModule } from '../../platform/audit/audit.module';
import { provideProcess } from '../../processes/process-module';
import { ResidenceFeesService } from './residence-fees.service';
import { residenceProcess } from './residence.process';
import { MunicipalDates } from './municipal-dates';
import { ResidenceService } from './residence.service';
import { ResidenceAnnulmentPagesController } from './residence-annulment.pages.controller';
import { ResidenceListsService } from './lists/residence-lists.service';
import { ResidenceStatsService } from './lists/residence-stats.service';
import { ResidenceStatsPagesController } from './lists/residence-stats.pages.controller';
import { ResidenceListsPagesController } from './lists/residence-lists.pages.controller';
import { ResidenceCertificatesService } from './residence-certificates.service';
import { ResidenceCertificatesPagesController } from './residence-certificates.pages.controller';
import { ResidencePagesController } from './residence.pages.controller';
import { ResidenceOfferedMiddleware } from './residence.not-offered';
import { ResidenceStaffPagesController } from './residence-staff.pages.controller';
import { PortalModule } from '../../portal/portal.module';
import { WorkspaceModule } from '../../workspace/workspace.module';

/** Residence declaration, annulment and certificates: the process module (residence.process.ts), services, pages and API. */
@Module({
  imports: [
    AuditModule,
    CasesModule,
    DeadlinesModule,
    DeliveryModule,
    DocumentsModule,
    ParametersModule,
    PersonsModule,
    PortalModule,
    WorkspaceModule,
  ],
  controllers: [
    ResidencePagesController,
    ResidenceStaffPagesController,
    ResidenceCertificatesPagesController,
    ResidenceListsPagesController,
    ResidenceStatsPagesController,
    ResidenceAnnulmentPagesController,
  ],
  providers: [
    MunicipalDates,
    ResidenceFeesService,
    ResidenceService,
    ResidenceCertificatesService,
    ResidenceListsService,
    ResidenceStatsService,
    provideProcess(residenceProcess),
  ],
  exports: [
    ResidenceService,
    ResidenceFeesService,
    ResidenceCertificatesService,
    ResidenceListsService,
  ],
})
export class ResidenceModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(ResidenceOfferedMiddleware)
      .forRoutes(
        ResidencePagesController,
        ResidenceStaffPagesController,
        ResidenceCertificatesPagesController,
        ResidenceListsPagesController,
        ResidenceStatsPagesController,
        ResidenceAnnulmentPagesController,
      );
  }
}
