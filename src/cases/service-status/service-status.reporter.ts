import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DeliverySender } from '../../delivery/delivery-sender';
import { OutboxMessage } from '../../delivery/outbox-message.entity';
import { OutboxService } from '../../delivery/outbox.service';
import type { ServiceStatusReport } from '../../integrations/pspp/service-status.port';
import { afterCommit } from '../../platform/database/after-commit';
import { isUuid } from '../../platform/ids';
import { ProcessRegistry } from '../../processes/process-registry';
import {
  decisionResult,
  parseServiceCodes,
  type CaseStatusEvent,
  type CaseStatusReporter,
} from './case-status';

interface CaseRow {
  number: string;
  process_key: string;
  outcome: string | null;
  code: string;
  name: string;
  registration_number: string;
}

/** The idempotency key of one report: per case, status and step. */
export const statusReportKey = (caseId: string, status: string, step: string): string =>
  `pspp:${caseId}:${status}:${step}`;

/**
 * Writes each status change as an outbox message (channel `portal_status`, purpose `status`) in
 * the transaction of the case change, numbered per case, and makes its first attempt after the
 * commit; the outbox retries with backoff and dead-letters like any other message. A process
 * without a service code (manifest `serviceCodes`, or PSPP_SERVICE_CODES) reports nothing.
 */
@Injectable()
export class ServiceStatusReports implements CaseStatusReporter {
  private readonly log = new Logger(ServiceStatusReports.name);
  private readonly overrides: Map<string, string>;

  constructor(
    private readonly outbox: OutboxService,
    private readonly registry: ProcessRegistry,
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.overrides = parseServiceCodes(config.PSPP_SERVICE_CODES);
  }

  serviceCode(processKey: string): string | null {
    return this.overrides.get(processKey) ?? this.registry.serviceCode(processKey) ?? null;
  }

  async record(em: EntityManager, e: CaseStatusEvent): Promise<void> {
    if (!isUuid(e.caseId)) return;
    const key = statusReportKey(e.caseId, e.status, e.step);
    const repo = em.getRepository(OutboxMessage);
    if (await repo.exists({ where: { municipalityId: e.municipalityId, idempotencyKey: key } }))
      return;
    // The case row is locked so two reports of one case written at once get distinct sequence numbers.
    const [c] = await em.query<CaseRow[]>(
      `SELECT c.number, c.process_key, c.outcome, m.code, m.name, m.registration_number
         FROM cases c JOIN municipalities m ON m.id = c.municipality_id WHERE c.id = $1
          FOR NO KEY UPDATE OF c`,
      [e.caseId],
    );
    if (!c) return;
    const serviceCode = this.serviceCode(c.process_key);
    if (!serviceCode) return;
    const [{ n }] = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE case_id = $1 AND channel = 'portal_status'`,
      [e.caseId],
    );
    const outcome = e.outcome ?? c.outcome;
    const at = e.status === 'result_delivered' ? await this.notBeforeDecision(em, e) : e.at;
    const report: ServiceStatusReport = {
      provider: { registrationNumber: c.registration_number, code: c.code, name: c.name },
      serviceCode,
      caseNumber: c.number,
      status: e.status,
      sequence: n + 1,
      occurredAt: at.toISOString(),
      ...(e.channel ? { channel: e.channel } : {}),
      ...(e.status === 'decided' && outcome ? { result: decisionResult(outcome) } : {}),
    };
    const { message, created } = await this.outbox.enqueue(em, {
      municipalityId: e.municipalityId,
      caseId: e.caseId,
      channel: 'portal_status',
      purpose: 'status',
      recipient: serviceCode,
      subject: e.status,
      body: JSON.stringify(report),
      idempotencyKey: key,
    });
    if (created) afterCommit(em, () => this.firstAttempt(e.municipalityId, message.id));
    if (e.status === 'decided') await this.resultAlreadyDelivered(em, e);
  }

  async deliveryReached(
    em: EntityManager,
    e: { municipalityId: string; caseId: string; messageId: string; kind: string; at: Date },
  ): Promise<void> {
    if (!isUuid(e.caseId) || !isUuid(e.messageId)) return;
    const m = await em.getRepository(OutboxMessage).findOneBy({ id: e.messageId });
    if (!m || m.purpose !== 'decision' || !reached(m)) return;
    // The result is delivered once the case is decided (a process may deliver, then record the decision).
    const [c] = await em.query<{ outcome: string | null }[]>(
      `SELECT outcome FROM cases WHERE id = $1`,
      [e.caseId],
    );
    if (!c?.outcome) return;
    await this.record(em, { ...e, status: 'result_delivered', step: 'result', at: e.at });
  }

  /** Decision recorded after its delivery already reached the resident: report that too, in order. */
  private async resultAlreadyDelivered(em: EntityManager, e: CaseStatusEvent): Promise<void> {
    const sent = await em
      .getRepository(OutboxMessage)
      .find({ where: { caseId: e.caseId, purpose: 'decision' }, order: { createdAt: 'ASC' } });
    const first = sent.find(reached);
    if (!first) return;
    await this.record(em, {
      municipalityId: e.municipalityId,
      caseId: e.caseId,
      status: 'result_delivered',
      step: 'result',
      at: first.deliveredAt ?? first.sentAt ?? e.at,
    });
  }

  /**
   * A process may deliver its decision before it records it (residence: certificates, then the
   * decision): the platform gets "result delivered" no earlier than "decided".
   */
  private async notBeforeDecision(em: EntityManager, e: CaseStatusEvent): Promise<Date> {
    const [d] = await em.query<{ at: string | null }[]>(
      `SELECT body::jsonb ->> 'occurredAt' AS at FROM outbox_messages WHERE municipality_id = $1 AND idempotency_key = $2`,
      [e.municipalityId, statusReportKey(e.caseId, 'decided', 'case.decided')],
    );
    const decided = d?.at ? new Date(d.at) : null;
    return decided && decided > e.at ? decided : e.at;
  }

  private async firstAttempt(municipalityId: string, messageId: string): Promise<void> {
    try {
      await this.moduleRef.get(DeliverySender, { strict: false }).send(municipalityId, messageId);
    } catch (err) {
      this.log.warn(
        { messageId, err: err instanceof Error ? err.message : String(err) },
        `status report ${messageId}: first attempt left to the outbox`,
      );
    }
  }
}

/**
 * A decision message counts as delivered when the channel says so (e-address: delivered to the
 * inbox) or, for channels that report no delivery (e-mail, a posted letter), when it was sent.
 */
function reached(m: OutboxMessage): boolean {
  if (m.status === 'delivered') return true;
  return m.status === 'sent' && m.channel !== 'e_address';
}
