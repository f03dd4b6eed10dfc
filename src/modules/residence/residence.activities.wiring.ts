import { createCertificateActivities } from '../../../activities/residence/certificate.activities';
import {
  createResidenceActivities,
  type ResidenceActivityPorts,
} from '../../../activities/residence/residence.activities';
import { TaskService } from '../../cases/task.service';
import { DELIVERY_PATH } from '../../delivery/delivery.module';
import { DeliveryLegalEffect } from '../../delivery/legal/delivery-legal-effect';
import { DocumentService } from '../../documents/document.service';
import { mergeActivities } from '../../engine/activities';
import { PROCESS_ENGINE } from '../../engine/process-engine';
import { ADDRESS_REGISTER } from '../../integrations/address/address-register.port';
import { POPULATION_REGISTER } from '../../integrations/population/population-register.port';
import { PROPERTY_REGISTER } from '../../integrations/property/property-register.port';
import { I18nService, isLang } from '../../platform/i18n/i18n.service';
import { TenantDb } from '../../platform/tenancy/tenant-db';
import { wire } from '../../processes/process-module';
import { MunicipalDates } from './municipal-dates';

type Ports = Omit<ResidenceActivityPorts, 't'> & { i18n: I18nService };

/** The residence processes' activities (declaration, annulment, certificates), from the application's ports. */
export const residenceActivities = wire(
  {
    tenantDb: TenantDb,
    population: POPULATION_REGISTER,
    address: ADDRESS_REGISTER,
    property: PROPERTY_REGISTER,
    delivery: DELIVERY_PATH,
    documents: DocumentService,
    engine: PROCESS_ENGINE,
    tasks: TaskService,
    dates: MunicipalDates,
    legal: DeliveryLegalEffect,
    i18n: I18nService,
  },
  ({ i18n, ...p }: Ports) => {
    const ports: ResidenceActivityPorts = {
      ...p,
      t: (lang, key, vars) => i18n.t(isLang(lang) ? lang : 'lv', key, vars),
    };
    return mergeActivities(createResidenceActivities(ports), createCertificateActivities(ports));
  },
);
