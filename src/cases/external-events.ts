import { Inject, Injectable } from '@nestjs/common';
import type { ExternalEventEnvelope } from '../../workflows/kit/external-event';
import { isReservedTopic } from '../../workflows/kit/links';
import { PROCESS_ENGINE, type ProcessEngine } from '../engine/process-engine';
import { DomainError, ErrorCode, type FieldError } from '../platform/errors/domain-error';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { AUDIT_SINK, type AuditSink } from './audit-sink';
import { Case } from './case.entity';
import { isUuid } from '../platform/ids';

export interface ExternalEventDelivery {
  municipalityId: string;
  caseId: string;
  /** The event's name as the process declares it (defineEvent), e.g. `payment.confirmed`. */
  event: string;
  /** The sender's own id of this event (a transaction id, a register message id). */
  eventId: string;
  payload: unknown;
  /** Who delivers it: an integration's name (e.g. `payments`) or an account id. */
  source: string;
}

const EVENT_NAME = /^[a-z][a-z0-9_.-]*$/;
const EVENT_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * Delivers an event from outside (a payment confirmation, a register notification) to the run
 * of a case that waits for it (kit `waitForEvent`). Recorded on the case timeline once per
 * event id (`event.received`), then sent through the engine port with the event id as the
 * idempotency key: delivering the same event again changes nothing and reaches the run once.
 */
@Injectable()
export class ExternalEventService {
  constructor(
    private readonly tenantDb: TenantDb,
    @Inject(PROCESS_ENGINE) private readonly engine: ProcessEngine,
    @Inject(AUDIT_SINK) private readonly audit: AuditSink,
  ) {}

  /** Returns whether this delivery was the first of the event id. */
  async deliver(d: ExternalEventDelivery): Promise<{ first: boolean }> {
    try {
      const fields: FieldError[] = [
        ...(typeof d.event === 'string' && EVENT_NAME.test(d.event) && !isReservedTopic(d.event)
          ? []
          : [{ field: 'event', message: 'cases:errors.eventName' }]),
        ...(typeof d.eventId === 'string' && EVENT_ID.test(d.eventId)
          ? []
          : [{ field: 'eventId', message: 'cases:errors.eventId' }]),
      ];
      if (fields.length) throw DomainError.validation(fields);
      const recorded = await this.tenantDb.run(d.municipalityId, async (em) => {
        const c = isUuid(d.caseId) ? await em.findOne(Case, { where: { id: d.caseId } }) : null;
        if (!c) throw new DomainError(ErrorCode.NotFound, `case ${d.caseId} not found`);
        // Its run starts after the transaction that opened it commits: until then, the sender retries.
        if (!c.runStartedAt)
          throw new DomainError(
            ErrorCode.ExternalUnavailable,
            `the run of case ${c.id} has not started yet`,
          );
        const key = `event.received:${d.event}:${d.eventId}`;
        const [row] = (await em.query(
          `WITH ins AS (
             INSERT INTO timeline_events (municipality_id, case_id, key, kind, actor, data) VALUES ($1, $2, $3, 'event.received', $4, $5::jsonb)
             ON CONFLICT (case_id, key) DO NOTHING RETURNING at, true AS first)
           SELECT at, first FROM ins UNION ALL SELECT at, false FROM timeline_events WHERE case_id = $2 AND key = $3 LIMIT 1`,
          [
            d.municipalityId,
            c.id,
            key,
            d.source,
            JSON.stringify({ event: d.event, eventId: d.eventId }),
          ],
        )) as { at: Date; first: boolean }[];
        // A first delivery to a closed case is refused; a repeat of one already recorded is re-sent (harmless).
        if (row.first && c.status !== 'open')
          throw new DomainError(ErrorCode.Conflict, `case is ${c.status}`);
        return row;
      });
      const envelope: ExternalEventEnvelope<unknown> = {
        eventId: d.eventId,
        payload: d.payload,
        receivedAt: new Date(recorded.at).toISOString(),
      };
      await this.engine.signal(d.caseId, d.event, envelope, {
        idempotencyKey: `event:${d.event}:${d.eventId}`,
      });
      return { first: recorded.first };
    } catch (e) {
      if (e instanceof DomainError)
        await this.audit.record({
          municipalityId: d.municipalityId,
          actor: String(d.source),
          action: 'case.event',
          outcome: 'refused',
          subject: { type: 'case', id: String(d.caseId) },
          reason: e.code,
          data: { event: String(d.event).slice(0, 100) },
        });
      throw e;
    }
  }
}
