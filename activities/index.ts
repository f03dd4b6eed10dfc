import type { AuditSink } from '../src/cases/audit-sink';
import type { TenantDb } from '../src/platform/tenancy/tenant-db';
import { mergeActivities } from '../src/engine/activities';
import type { ProcessEngine } from '../src/engine/process-engine';
import { DomainError, ErrorCode } from '../src/platform/errors/domain-error';
import { createCaseActivities, type DueDateCalculator } from './case/case.activities';
import { createGroupActivities } from './case/group.activities';
import { createLinkActivities } from './case/link.activities';
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
  /** The engine port for signals between linked cases (signalCase), resolved at call time. */
  engine?: () => ProcessEngine;
}

const noEngine = (): ProcessEngine => {
  throw new DomainError(ErrorCode.Misconfigured, 'no process engine is wired for signals between cases');
};

/** Every activity any registered process calls, by name; both engines run exactly these. */
export function createProcessActivities(ports: ActivityPorts) {
  return mergeActivities(
    createCaseActivities({ tenantDb: ports.tenantDb, dueDates: ports.dueDates, audit: ports.audit }),
    createGroupActivities({ tenantDb: ports.tenantDb }),
    createLinkActivities({ tenantDb: ports.tenantDb, engine: ports.engine ?? noEngine }),
    createReferenceActivities({ tenantDb: ports.tenantDb, registry: ports.referenceRegistry }),
    ports.delivery,
  );
}
