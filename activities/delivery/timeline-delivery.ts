import type { TenantDb } from '../../src/platform/tenancy/tenant-db';
import type { DeliveryActivities, DeliveryRequest, DeliveryReceipt } from './delivery.types';

/**
 * Simple DeliveryActivities for tests and development: records the message on the case timeline
 * (once per idempotency key) and reports it `queued`. It sends nothing; the outbox replaces it.
 */
export function createTimelineDeliveryActivities(ports: {
  tenantDb: TenantDb;
}): DeliveryActivities {
  return {
    async sendDelivery(req: DeliveryRequest): Promise<DeliveryReceipt> {
      return ports.tenantDb.run(req.municipalityId, async (em) => {
        // One round trip: insert once per idempotency key, and return the row either way.
        const [row] = (await em.query(
          `WITH ins AS (
             INSERT INTO timeline_events (municipality_id, case_id, key, kind, actor, data)
             VALUES ($1, $2, $3, 'delivery.queued', 'system', $4::jsonb)
             ON CONFLICT (case_id, key) DO NOTHING RETURNING id)
           SELECT id FROM ins UNION ALL SELECT id FROM timeline_events WHERE case_id = $2 AND key = $3 LIMIT 1`,
          [
            req.municipalityId,
            req.caseId,
            `delivery:${req.idempotencyKey}`,
            JSON.stringify({
              channel: req.channel,
              recipientRef: req.recipientRef,
              template: req.template,
              vars: req.vars ?? {},
            }),
          ],
        )) as [{ id: string }];
        return { deliveryId: row.id, status: 'queued' };
      });
    },
  };
}
