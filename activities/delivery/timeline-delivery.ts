import type { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { TimelineEvent } from '../../src/cases/timeline-event.entity';
import { addTimelineOnce } from '../case/case.activities';
import type { DeliveryActivities, DeliveryRequest, DeliveryReceipt } from './delivery.types';

/**
 * Simple DeliveryActivities for tests and development: records the message on the case timeline
 * (once per idempotency key) and reports it `queued`. It sends nothing; the outbox replaces it.
 */
export function createTimelineDeliveryActivities(ports: { tenantDb: TenantDb }): DeliveryActivities {
  return {
    async sendDelivery(req: DeliveryRequest): Promise<DeliveryReceipt> {
      return ports.tenantDb.run(req.municipalityId, async (em) => {
        const key = `delivery:${req.idempotencyKey}`;
        await addTimelineOnce(em, {
          caseId: req.caseId,
          municipalityId: req.municipalityId,
          key,
          kind: 'delivery.queued',
          data: { channel: req.channel, recipientRef: req.recipientRef, template: req.template, vars: req.vars ?? {} },
        });
        const row = await em.findOneOrFail(TimelineEvent, { where: { caseId: req.caseId, key } });
        return { deliveryId: row.id, status: 'queued' };
      });
    },
  };
}
