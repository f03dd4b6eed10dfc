import type { AuditSink } from '../src/cases/audit-sink';
import { AuditLogSink } from '../src/cases/case-file.ports';
import {
  CASE_STATUS_REPORTER,
  type CaseStatusReporter,
} from '../src/cases/service-status/case-status';
import { CalendarService, workingDayDueDates } from '../src/deadlines/calendar/calendar.service';
import { DeadlinesService } from '../src/deadlines/deadlines.service';
import { DELIVERY_ACTIVITIES } from '../src/delivery/delivery.module';
import { DocumentService } from '../src/documents/document.service';
import { mergeActivities } from '../src/engine/activities';
import { PROCESS_ENGINE, type ProcessEngine } from '../src/engine/process-engine';
import { ParametersService } from '../src/parameters/parameters.service';
import { PaymentsService } from '../src/payments/payments.service';
import { AuditService } from '../src/platform/audit/audit.service';
import { TenantDb } from '../src/platform/tenancy/tenant-db';
import { wire } from '../src/processes/process-module';
import { createCaseActivities, type DueDateCalculator } from './case/case.activities';
import { createGroupActivities } from './case/group.activities';
import { createLinkActivities } from './case/link.activities';
import { createDeadlineActivities } from './deadlines';
import type { DeliveryActivities } from './delivery';
import { createDocumentActivities } from './documents';
import { createParameterActivities } from './parameters';
import { createRegisterCheckActivities, type RegisterCheckPorts } from './registry';
import { ASSISTANCE_REGISTER } from '../src/integrations/assistance/assistance-register.port';
import { DISABILITY_REGISTER } from '../src/integrations/disability/disability-register.port';
import { EMPLOYMENT_REGISTER } from '../src/integrations/employment/employment-register.port';
import { INCOME_REGISTER } from '../src/integrations/income/income-register.port';
import { POPULATION_REGISTER } from '../src/integrations/population/population-register.port';
import { PROPERTY_REGISTER } from '../src/integrations/property/property-register.port';
import { SOCIAL_INSURANCE_REGISTER } from '../src/integrations/social-insurance/social-insurance-register.port';
import { VEHICLE_REGISTER } from '../src/integrations/vehicles/vehicle-register.port';
import { createPaymentActivities } from './payments';

export interface CaseActivityGroupPorts {
  tenantDb: TenantDb;
  dueDates?: DueDateCalculator;
  /** Records refused completion signals (readTaskDecision); without it they are only logged. */
  audit?: AuditSink;
  /** Reports decisions to the services platform. */
  statusReports?: CaseStatusReporter;
}

/** The platform's own activities every process may call (tasks, timeline, delivery); process modules add theirs. */
export function createCaseFileActivities(ports: CaseActivityGroupPorts) {
  return mergeActivities(
    createCaseActivities({
      tenantDb: ports.tenantDb,
      dueDates: ports.dueDates,
      audit: ports.audit,
      statusReports: ports.statusReports,
    }),
  );
}

/**
 * The platform's activity groups as the ProcessRegistry builds them in the application: task due
 * dates count working days of the municipality's calendar; refused completion signals go to the
 * audit log; legal deadlines and sealed documents are platform services every process may use.
 */
export const CORE_ACTIVITIES = [
  wire(
    {
      tenantDb: TenantDb,
      calendars: CalendarService,
      audit: AuditService,
      statusReports: CASE_STATUS_REPORTER,
    },
    (p: {
      tenantDb: TenantDb;
      calendars: CalendarService;
      audit: AuditService;
      statusReports: CaseStatusReporter;
    }) =>
      createCaseFileActivities({
        tenantDb: p.tenantDb,
        dueDates: workingDayDueDates(p.calendars),
        audit: new AuditLogSink(p.audit),
        statusReports: p.statusReports,
      }),
  ),
  // Group decisions (collect) and signals between linked cases through the engine port: the
  // registry builds the map when the engine launches, so the engine exists by then.
  wire(
    { tenantDb: TenantDb, engine: PROCESS_ENGINE },
    (p: { tenantDb: TenantDb; engine: ProcessEngine }) =>
      mergeActivities(
        createGroupActivities({ tenantDb: p.tenantDb }),
        createLinkActivities({ tenantDb: p.tenantDb, engine: () => p.engine }),
      ),
  ),
  wire({ deadlines: DeadlinesService }, (p: { deadlines: DeadlinesService }) =>
    createDeadlineActivities(p),
  ),
  wire({ documents: DocumentService }, (p: { documents: DocumentService }) =>
    createDocumentActivities(p),
  ),
  // Effective-dated parameters (periods, lists) a process reads at the start of the step that uses them.
  wire(
    { parameters: ParametersService, calendars: CalendarService, tenantDb: TenantDb },
    (p: { parameters: ParametersService; calendars: CalendarService; tenantDb: TenantDb }) =>
      createParameterActivities(p),
  ),
  // Register checks of a means test (activities/registry): each register's answer stored with the case.
  wire(
    {
      tenantDb: TenantDb,
      population: POPULATION_REGISTER,
      property: PROPERTY_REGISTER,
      socialInsurance: SOCIAL_INSURANCE_REGISTER,
      income: INCOME_REGISTER,
      employment: EMPLOYMENT_REGISTER,
      disability: DISABILITY_REGISTER,
      vehicles: VEHICLE_REGISTER,
      assistance: ASSISTANCE_REGISTER,
    },
    (p: RegisterCheckPorts) => createRegisterCheckActivities(p),
  ),
  // Payable lines for the municipality's monthly payment run (schedulePayment, cancelPayment).
  wire({ payments: PaymentsService }, (p: { payments: PaymentsService }) =>
    createPaymentActivities(p),
  ),
  // The one way to reach a person (notifyParty, deliverDocuments; reference@v1's sendDelivery).
  wire({ delivery: DELIVERY_ACTIVITIES }, (p: { delivery: DeliveryActivities }) => p.delivery),
];
