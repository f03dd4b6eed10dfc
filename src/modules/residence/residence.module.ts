import { ParametersModule } from '../../parameters/parameters.module';
import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { CasesModule } from '../../cases/cases.module';
import { DeadlinesModule } from '../../deadlines/deadlines.module';
import type { DeliveryPath } from '../../../activities/delivery';
import { DELIVERY_PATH, DeliveryModule } from '../../delivery/delivery.module';
import { DocumentService } from '../../documents/document.service';
import { DocumentsModule } from '../../documents/documents.module';
import { DeadlinesService } from '../../deadlines/deadlines.service';
import { PROCESS_ACTIVITIES } from '../../engine/activities';
import { PROCESS_ENGINE, type ProcessEngine } from '../../engine/process-engine';
import { ADDRESS_REGISTER, type AddressRegister } from '../../integrations/address/address-register.port';
import { POPULATION_REGISTER, type PopulationRegister } from '../../integrations/population/population-register.port';
import { PROPERTY_REGISTER, type PropertyRegister } from '../../integrations/property/property-register.port';
import { PersonsModule } from '../../persons/persons.module';
import { AuditModule } from '../../platform/audit/audit.module';
import { I18nService, isLang } from '../../platform/i18n/i18n.service';
import { TenantDb } from '../../platform/tenancy/tenant-db';
import type { ActivityMap } from '../../../workflows/kit/types';
import { RESIDENCE_ACTIVITIES, registerResidenceActivities } from './residence-activities.registrar';
import { ResidenceFeesService } from './residence-fees.service';
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
import { TaskService } from '../../cases/task.service';
import { PortalModule } from '../../portal/portal.module';
import { WorkspaceModule } from '../../workspace/workspace.module';
import './residence.forms';

/** Residence declaration and annulment: processes' activities, services, pages and API. */
@Module({
  imports: [AuditModule, CasesModule, DeadlinesModule, DeliveryModule, DocumentsModule, ParametersModule, PersonsModule, PortalModule, WorkspaceModule],
  controllers: [ResidencePagesController, ResidenceStaffPagesController, ResidenceCertificatesPagesController, ResidenceListsPagesController, ResidenceStatsPagesController, ResidenceAnnulmentPagesController],
  providers: [
    MunicipalDates,
    ResidenceFeesService,
    ResidenceService,
    ResidenceCertificatesService,
    ResidenceListsService,
    ResidenceStatsService,
    {
      provide: RESIDENCE_ACTIVITIES,
      inject: [PROCESS_ACTIVITIES, TenantDb, POPULATION_REGISTER, ADDRESS_REGISTER, PROPERTY_REGISTER, DELIVERY_PATH, DocumentService, DeadlinesService, PROCESS_ENGINE, I18nService, MunicipalDates, TaskService],
      useFactory: (
        map: ActivityMap,
        tenantDb: TenantDb,
        population: PopulationRegister,
        address: AddressRegister,
        property: PropertyRegister,
        delivery: DeliveryPath,
        documentService: DocumentService,
        deadlines: DeadlinesService,
        engine: ProcessEngine,
        i18n: I18nService,
        dates: MunicipalDates,
        tasks: TaskService,
      ) =>
        registerResidenceActivities(map, {
          tenantDb,
          population,
          address,
          property,
          delivery,
          documents: documentService,
          documentService,
          deadlines,
          engine,
          dates,
          tasks,
          t: (lang, key, vars) => i18n.t(isLang(lang) ? lang : 'lv', key, vars),
        }),
    },
  ],
  exports: [ResidenceService, ResidenceFeesService, ResidenceCertificatesService, ResidenceListsService],
})
export class ResidenceModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(ResidenceOfferedMiddleware)
      .forRoutes(ResidencePagesController, ResidenceStaffPagesController, ResidenceCertificatesPagesController, ResidenceListsPagesController, ResidenceStatsPagesController, ResidenceAnnulmentPagesController);
  }
}
