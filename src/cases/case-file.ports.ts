import { Inject, Injectable, Logger } from '@nestjs/common';
import { PROCESS_ENGINE, type ProcessEngine } from '../engine/process-engine';
import type { EntityManager } from 'typeorm';
import type {
  CaseTimeline,
  TimelineEvent as DocumentTimelineEvent,
} from '../documents/case-timeline';
import type { DeliveryTimeline } from '../delivery/delivery-sender';
import type { DeadlineChangeListener, DueDateChange } from '../deadlines/deadlines.service';
import { AuditService } from '../platform/audit/audit.service';
import type { AuditRecord, AuditSink } from './audit-sink';
import type { TimelineEvent } from './timeline-event.entity';
import { isUuid } from '../platform/ids';
import { CASE_STATUS_REPORTER, type CaseStatusReporter } from './service-status/case-status';

/**
 * Inserts a timeline line once per key (activities run at least once), and only for a case in the
 * case file: documents and messages may also be issued outside a case (e.g. certificates on request
 * that have no case yet, or tests), and those have no timeline.
 */
async function appendOnce(em: EntityManager, row: Omit<TimelineEvent, 'id'>): Promise<void> {
  if (!isUuid(row.caseId)) return;
  await em.query(
    `INSERT INTO timeline_events (municipality_id, case_id, at, kind, actor, data, key)
     SELECT $1, $2, $3, $4, $5, $6::jsonb, $7 WHERE EXISTS (SELECT 1 FROM cases WHERE id = $2)
     ON CONFLICT (case_id, key) DO NOTHING`,
    [
      row.municipalityId,
      row.caseId,
      row.at,
      row.kind,
      row.actor,
      JSON.stringify(row.data),
      row.key,
    ],
  );
}

/** Documents record issue/seal steps on the case timeline, in the transaction that stores them. */
@Injectable()
export class DocumentsOnTimeline implements CaseTimeline {
  async record(e: DocumentTimelineEvent, em: EntityManager): Promise<void> {
    await appendOnce(em, {
      municipalityId: e.municipalityId,
      caseId: e.caseId,
      at: e.occurredAt,
      kind: e.type,
      actor: 'system',
      data: { summaryKey: e.summaryKey, ...e.params },
      key: e.idempotencyKey,
    });
  }
}

/**
 * Deliveries record sent/failed/delivered on the case timeline, with the outbox row's change; a
 * decision that reached the resident is reported to the services platform as "result delivered".
 */
@Injectable()
export class DeliveriesOnTimeline implements DeliveryTimeline {
  private readonly log = new Logger('DeliveriesOnTimeline');

  constructor(
    @Inject(PROCESS_ENGINE) private readonly engine: ProcessEngine,
    // Always bound in the app; absent only where tests build the case core without Nest.
    @Inject(CASE_STATUS_REPORTER)
    private readonly statusReports?: CaseStatusReporter,
  ) {}

  /**
   * Tells the case's run that a notice is deemed notified (after the commit that recorded it). A
   * run that does not wait for it ignores the message; a lost signal is made up by the run itself
   * (kit `awaitNotified` reads the outbox when its wait ends), so failing here only logs.
   */
  async signalRun(
    caseId: string,
    topic: string,
    payload: unknown,
    idempotencyKey: string,
  ): Promise<void> {
    if (!isUuid(caseId)) return;
    try {
      const run = await this.engine.describe(caseId);
      if (run?.status !== 'running') return;
      await this.engine.signal(caseId, topic, payload, { idempotencyKey });
    } catch (e) {
      this.log.warn(
        { caseId, topic, err: e instanceof Error ? e.message : String(e) },
        `signal ${topic} not delivered now`,
      );
    }
  }

  async append(
    em: EntityManager,
    e: {
      municipalityId: string;
      caseId: string;
      kind: string;
      at: Date;
      data: Record<string, unknown>;
    },
  ): Promise<void> {
    // Status reports to the services platform have their own section on the case page: not timeline lines.
    if (e.data.channel === 'portal_status') return;
    const messageId = typeof e.data.messageId === 'string' ? e.data.messageId : '';
    const attempt = typeof e.data.attempts === 'number' ? e.data.attempts : 0;
    await appendOnce(em, {
      municipalityId: e.municipalityId,
      caseId: e.caseId,
      at: e.at,
      kind: e.kind,
      actor: 'system',
      data: e.data,
      key: messageId ? `${e.kind}:${messageId}:${attempt}` : null,
    });
    if (
      messageId &&
      (e.kind === 'delivery.sent' ||
        e.kind === 'delivery.posted' ||
        e.kind === 'delivery.delivered')
    )
      await this.statusReports?.deliveryReached(em, {
        municipalityId: e.municipalityId,
        caseId: e.caseId,
        messageId,
        kind: e.kind,
        at: e.at,
      });
  }
}

/**
 * A calendar change (a moved working day, a local holiday) that moves a case's legal due date is a
 * fact of the case: the caseworker sees it on the timeline, in the transaction that moved it.
 */
@Injectable()
export class DueDateChangesOnTimeline implements DeadlineChangeListener {
  async dueDatesChanged(em: EntityManager, changes: DueDateChange[], at: Date): Promise<void> {
    for (const c of changes) {
      await appendOnce(em, {
        municipalityId: c.municipalityId,
        caseId: c.caseId,
        at,
        kind: 'deadline.due_changed',
        actor: 'system',
        data: { deadlineId: c.deadlineId, from: c.from, to: c.to },
        key: `deadline.due_changed:${c.deadlineId}:${c.from}:${c.to}:${at.toISOString()}`,
      });
    }
  }
}

/** Case actions and refused attempts go to the hash-chained audit log. */
@Injectable()
export class AuditLogSink implements AuditSink {
  constructor(private readonly audit: AuditService) {}

  async record(r: AuditRecord): Promise<void> {
    await this.audit.record({
      municipalityId: r.municipalityId,
      actor: { accountId: isUuid(r.actor) ? r.actor : null, display: r.actor },
      action: r.outcome === 'refused' ? `${r.action}.refused` : r.action,
      subject: r.subject,
      purpose: r.purpose ?? null,
      details: { outcome: r.outcome, ...(r.reason ? { reason: r.reason } : {}), ...(r.data ?? {}) },
    });
  }
}
