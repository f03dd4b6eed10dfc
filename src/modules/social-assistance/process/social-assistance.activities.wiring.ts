import { createSocialAssistanceActivities } from '../../../../activities/social-assistance/social-assistance.activities';
import {
  CASE_STATUS_REPORTER,
  type CaseStatusReporter,
} from '../../../cases/service-status/case-status';
import { CalendarService } from '../../../deadlines/calendar/calendar.service';
import { TIME_ZONES } from '../../../deadlines/calendar/time-zone';
import { DELIVERY_PATH } from '../../../delivery/delivery.module';
import { DocumentService } from '../../../documents/document.service';
import { ParametersService } from '../../../parameters/parameters.service';
import { CLOCK, type Clock } from '../../../platform/clock/clock';
import { I18nService, isLang } from '../../../platform/i18n/i18n.service';
import { TenantDb } from '../../../platform/tenancy/tenant-db';
import { wire } from '../../../processes/process-module';
import type { DeliveryPath } from '../../../../activities/delivery';
import { SocialAssistanceRulesService } from '../social-assistance-rules.service';
import { AwardStatusPublisher } from '../awards/award-status.publisher';
import {
  POPULATION_REGISTER,
  type PopulationRegister,
} from '../../../integrations/population/population-register.port';
import {
  ADDRESS_REGISTER,
  type AddressRegister,
} from '../../../integrations/address/address-register.port';

interface Ports {
  tenantDb: TenantDb;
  rules: SocialAssistanceRulesService;
  parameters: ParametersService;
  documents: DocumentService;
  delivery: DeliveryPath;
  statusReports: CaseStatusReporter;
  calendars: CalendarService;
  clock: Clock;
  i18n: I18nService;
  population: PopulationRegister;
  addresses: AddressRegister;
  awardStatus: AwardStatusPublisher;
}

/** The social-assistance process's activities (activities/social-assistance), from the application's ports. */
export const socialAssistanceActivities = wire(
  {
    tenantDb: TenantDb,
    rules: SocialAssistanceRulesService,
    parameters: ParametersService,
    documents: DocumentService,
    delivery: DELIVERY_PATH,
    statusReports: CASE_STATUS_REPORTER,
    calendars: CalendarService,
    clock: CLOCK,
    i18n: I18nService,
    population: POPULATION_REGISTER,
    addresses: ADDRESS_REGISTER,
    awardStatus: AwardStatusPublisher,
  },
  ({ calendars, clock, i18n, ...p }: Ports) =>
    createSocialAssistanceActivities({
      ...p,
      timeZone: async (municipalityId) => TIME_ZONES[await calendars.countryOf(municipalityId)],
      now: () => clock.now(),
      t: (lang, key, vars) => i18n.t(isLang(lang) ? lang : 'lv', key, vars),
    }),
);
