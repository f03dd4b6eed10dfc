import type { AuditSink } from '../src/cases/audit-sink';
import type { CalendarService } from '../src/deadlines/calendar/calendar.service';
import type { ParametersService } from '../src/parameters/parameters.service';
import type { TenantDb } from '../src/platform/tenancy/tenant-db';
import { mergeActivities } from '../src/engine/activities';
import { createCaseActivities, type DueDateCalculator } from './case/case.activities';
import type { DeliveryActivities } from './delivery/delivery.types';
import { createTimelineDeliveryActivities } from './delivery/timeline-delivery';
import { createParameterActivities } from './parameters';
import { createReferenceActivities } from './reference/reference.activities';
import type { ReferenceRegistry } from './reference/registry.port';

export interface ActivityPorts {
  tenantDb: TenantDb;
  referenceRegistry: ReferenceRegistry;
  /** The outbox's implementation; defaults to the timeline-only one (sends nothing). */
  delivery?: DeliveryActivities;
  dueDates?: DueDateCalculator;
  /** Records refused completion signals (readTaskDecision); without it they are only logged. */
  audit?: AuditSink;
  /** Effective-dated parameters (periods, lists) processes read at the start of a step. */
  parameters?: { parameters: ParametersService; calendars: CalendarService };
}

/** Every activity any registered process calls, by name; both engines run exactly these. */
export function createProcessActivities(ports: ActivityPorts) {
  return mergeActivities(
    createCaseActivities({ tenantDb: ports.tenantDb, dueDates: ports.dueDates, audit: ports.audit }),
    createReferenceActivities({ tenantDb: ports.tenantDb, registry: ports.referenceRegistry }),
    ports.delivery ?? createTimelineDeliveryActivities({ tenantDb: ports.tenantDb }),
    ports.parameters ? createParameterActivities({ ...ports.parameters, tenantDb: ports.tenantDb }) : {},
  );
}
