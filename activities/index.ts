import type { AuditSink } from '../src/cases/audit-sink';
import type { TenantDb } from '../src/platform/tenancy/tenant-db';
import { mergeActivities } from '../src/engine/activities';
import { createCaseActivities, type DueDateCalculator } from './case/case.activities';
import type { DeliveryActivities } from './delivery';
import { createReferenceActivities } from './reference/reference.activities';
import type { ReferenceRegistry } from './reference/registry.port';

export interface ActivityPorts {
  tenantDb: TenantDb;
  referenceRegistry: ReferenceRegistry;
  /** The one delivery path (activities/delivery, built by the delivery module over the outbox). */
  delivery: DeliveryActivities;
  dueDates?: DueDateCalculator;
  /** Records refused completion signals (readTaskDecision); without it they are only logged. */
  audit?: AuditSink;
}

/** Every activity any registered process calls, by name; both engines run exactly these. */
export function createProcessActivities(ports: ActivityPorts) {
  return mergeActivities(
    createCaseActivities({ tenantDb: ports.tenantDb, dueDates: ports.dueDates, audit: ports.audit }),
    createReferenceActivities({ tenantDb: ports.tenantDb, registry: ports.referenceRegistry }),
    ports.delivery,
  );
}
