import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CLOCK, type Clock } from '../platform/clock/clock';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { Municipality } from '../platform/tenancy/municipality.entity';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { AlertService } from './alerts/alert.service';
import { backoffDelay } from './backoff';
import {
  DELIVERY_CHANNELS,
  DOCUMENT_SOURCE,
  type ChannelResult,
  type DeliveryChannel,
  type DeliveryFile,
  type DocumentSource,
} from './channels/channel.port';
import { OutboxMessage, type Channel, type OutboxStatus } from './outbox-message.entity';
import { OutboxService } from './outbox.service';
import { DeliveryLegalEffect } from './legal/delivery-legal-effect';
import type { DeliveryNotified } from '../../workflows/kit/delivery';
import { TRANSLATOR, type Translator } from './translator';
import { isUuid } from '../platform/ids';

export type DeliveryEventKind =
  | 'delivery.sent'
  | 'delivery.letter_queued'
  | 'delivery.posted'
  | 'delivery.retry_scheduled'
  | 'delivery.dead'
  | 'delivery.delivered'
  | 'delivery.unchanged'
  | 'delivery.failed_report'
  | 'delivery.deemed_notified'
  | 'delivery.fallback';

/** What a process (or the case timeline) needs to know about one send. */
export interface SendOutcome {
  messageId: string;
  caseId: string | null;
  channel: Channel;
  status: OutboxStatus;
  attempts: number;
  event: DeliveryEventKind;
  nextAttemptAt: string | null;
  sentAt: string | null;
  deemedNotifiedOn: string | null;
  appealUntil: string | null;
  /** The message that replaces this one on the next channel after it failed. */
  fallbackId: string | null;
  providerMessageId: string | null;
  receipt: Record<string, unknown> | null;
  lastError: string | null;
}

/** Where delivery events go on the case timeline (the case core implements it), in the same transaction. */
export interface DeliveryTimeline {
  append(
    em: EntityManager,
    event: {
      municipalityId: string;
      caseId: string;
      kind: DeliveryEventKind;
      at: Date;
      data: Record<string, unknown>;
    },
  ): Promise<void>;
  /** After the commit: tells the case's run (if it runs) that a notice took legal effect. */
  signalRun(caseId: string, topic: string, payload: unknown, idempotencyKey: string): Promise<void>;
}
export const DELIVERY_TIMELINE = Symbol('DELIVERY_TIMELINE');

const outcome = (m: OutboxMessage, event: DeliveryEventKind): SendOutcome => ({
  messageId: m.id,
  caseId: m.caseId,
  channel: m.channel,
  status: m.status,
  attempts: m.attempts,
  event,
  nextAttemptAt: m.nextAttemptAt?.toISOString() ?? null,
  sentAt: m.sentAt?.toISOString() ?? null,
  deemedNotifiedOn: m.deemedNotifiedOn,
  appealUntil: m.appealUntil,
  fallbackId: null,
  providerMessageId: m.providerMessageId,
  receipt: m.receipt,
  lastError: m.lastError,
});

/** The run's topic for a notice that took legal effect (kit `awaitNotified` waits on it). */
const notifiedTopic = (noticeKey: string): string => `delivery.notified:${noticeKey}`;

/**
 * Sends one outbox message per call: claims the row (short transaction), calls the channel outside
 * any transaction with the idempotency key, then records the receipt, or schedules a retry with
 * capped jittered backoff, or dead-letters it and raises an alert.
 */
@Injectable()
export class DeliverySender {
  private readonly log = new Logger(DeliverySender.name);
  private readonly channels: Map<Channel, DeliveryChannel>;
  /** The app's clock (CLOCK); replaceable in tests. */
  now: () => Date = () => this.clock.now();
  random: () => number = Math.random;

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly ds: DataSource,
    private readonly legal: DeliveryLegalEffect,
    private readonly alerts: AlertService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TRANSLATOR) private readonly i18n: Translator,
    @Inject(DELIVERY_CHANNELS) channels: DeliveryChannel[],
    @Inject(DOCUMENT_SOURCE) private readonly documents: DocumentSource,
    @Inject(DELIVERY_TIMELINE) private readonly timeline: DeliveryTimeline,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.channels = new Map(channels.map((c) => [c.channel, c]));
  }

  private get leaseMs(): number {
    return this.config.DELIVERY_SEND_TIMEOUT_MS * 2;
  }

  async send(municipalityId: string, messageId: string): Promise<SendOutcome> {
    const claimed = await this.claim(municipalityId, messageId);
    if ('done' in claimed) {
      const o = outcome(claimed.done, 'delivery.unchanged');
      // Another attempt holds the row: come back when its lease runs out.
      if (claimed.done.status === 'sending' && claimed.done.claimedAt)
        o.nextAttemptAt = new Date(claimed.done.claimedAt.getTime() + this.leaseMs).toISOString();
      return o;
    }
    const m = claimed.message;
    let result: Awaited<ReturnType<DeliveryChannel['send']>> | null = null;
    let error: unknown = null;
    try {
      const channel = this.channels.get(m.channel);
      if (!channel)
        throw new DomainError(
          ErrorCode.Misconfigured,
          `no delivery channel configured for ${m.channel}`,
        );
      const municipality = await this.ds
        .getRepository(Municipality)
        .findOneByOrFail({ id: municipalityId });
      const files = await this.loadFiles(municipalityId, m.attachments);
      result = await this.withTimeout(
        channel.send({
          outboxId: m.id,
          idempotencyKey: m.idempotencyKey,
          municipality: {
            id: municipality.id,
            name: municipality.name,
            eAddress: municipality.eAddress,
          },
          caseId: m.caseId,
          recipient: m.recipient,
          subject: m.subject,
          body: m.body,
          lang: m.lang,
          files,
        }),
      );
    } catch (e) {
      error = e;
    }
    return this.followUp(municipalityId, await this.record(municipalityId, m, result, error));
  }

  /**
   * After the commit: a notice that took legal effect is signalled to the case's run; a failed
   * message's replacement on the next channel gets its first attempt at once.
   */
  private async followUp(municipalityId: string, o: SendOutcome): Promise<SendOutcome> {
    if (o.caseId && o.sentAt && (o.event === 'delivery.sent' || o.event === 'delivery.posted')) {
      const m = await this.outbox.get(municipalityId, o.messageId);
      if (m.noticeKey) {
        const payload: DeliveryNotified = {
          messageId: m.id,
          channel: m.channel,
          sentAt: o.sentAt,
          deemedNotifiedOn: m.deemedNotifiedOn,
          appealUntil: m.appealUntil,
        };
        await this.timeline.signalRun(
          o.caseId,
          notifiedTopic(m.noticeKey),
          payload,
          `delivery.notified:${m.id}`,
        );
      }
    }
    if (o.fallbackId) {
      try {
        await this.send(municipalityId, o.fallbackId);
      } catch (e) {
        this.log.warn(
          { messageId: o.fallbackId, err: e instanceof Error ? e.message : String(e) },
          `fallback ${o.fallbackId}: first attempt left to the outbox`,
        );
      }
    }
    return o;
  }

  /**
   * Sets the day the message is deemed notified and, for a decision, its appeal period; returns
   * the timeline entry that says so (appended after the send's own entry).
   */
  private async legalEffect(
    m: OutboxMessage,
    sentAt: Date,
  ): Promise<((em: EntityManager) => Promise<void>) | null> {
    try {
      const deemed = await this.legal.deemedNotified(m.municipalityId, m.channel, sentAt);
      if (!deemed) return null;
      m.deemedNotifiedOn = deemed.on;
      const appeal =
        m.purpose === 'decision' ? await this.legal.appealUntil(m.municipalityId, deemed.on) : null;
      m.appealUntil = appeal?.until ?? null;
      const caseId = m.caseId;
      if (!caseId) return null;
      const data = {
        messageId: m.id,
        attempts: m.attempts,
        channel: m.channel,
        deemedNotifiedOn: deemed.on,
        rule: deemed.rule,
        ...(appeal
          ? { appealFrom: deemed.on, appealUntil: appeal.until, appealRule: appeal.rule }
          : {}),
      };
      return (em) =>
        this.timeline.append(em, {
          municipalityId: m.municipalityId,
          caseId,
          kind: 'delivery.deemed_notified',
          at: sentAt,
          data,
        });
    } catch (e) {
      // A misconfigured period must not undo a send that happened: staff see the date is missing.
      this.log.error(
        { messageId: m.id, err: e instanceof Error ? e.message : String(e) },
        `deemed-notified date of ${m.id} not computed`,
      );
      return null;
    }
  }

  /**
   * A message that failed for good is sent once on the next channel open to the party (decided
   * when it was written): a new outbox row keyed `<key>:fallback`, so a repeat changes nothing.
   */
  private async fallBack(
    em: EntityManager,
    m: OutboxMessage,
    reason: string,
  ): Promise<string | null> {
    const [next, ...rest] = m.fallbackRoutes;
    if (!next || m.idempotencyKey.endsWith(':fallback')) return null;
    const { message, created } = await this.outbox.enqueue(em, {
      municipalityId: m.municipalityId,
      caseId: m.caseId,
      channel: next.channel,
      purpose: m.purpose,
      recipient: next.recipient,
      subject: m.subject,
      body: m.body,
      lang: m.lang,
      attachments: m.attachments,
      idempotencyKey: `${m.idempotencyKey}:fallback`,
      noticeKey: m.noticeKey,
      fallbackRoutes: rest,
      fallbackOf: m.id,
      fallbackReason: reason,
    });
    if (created && m.caseId)
      await this.timeline.append(em, {
        municipalityId: m.municipalityId,
        caseId: m.caseId,
        kind: 'delivery.fallback',
        at: this.now(),
        data: {
          messageId: m.id,
          attempts: m.attempts,
          from: m.channel,
          to: next.channel,
          fallbackId: message.id,
          reason,
        },
      });
    return created ? message.id : null;
  }

  /** Asks the channel whether a sent message has been delivered (e-adrese notifications) and records it. */
  async refreshStatus(municipalityId: string, messageId: string): Promise<SendOutcome> {
    const m = await this.outbox.get(municipalityId, messageId);
    const channel = this.channels.get(m.channel);
    if (m.status !== 'sent' || !m.providerMessageId || !channel?.status)
      return outcome(m, 'delivery.unchanged');
    const s = await channel.status(m.providerMessageId);
    if (s.state === 'failed')
      return this.followUp(
        municipalityId,
        await this.reportedFailed(municipalityId, messageId, s.state),
      );
    if (!s.delivered) return outcome(m, 'delivery.unchanged');
    return this.tenantDb.run(municipalityId, async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const row = await repo.findOneOrFail({
        where: { id: messageId },
        lock: { mode: 'pessimistic_write' },
      });
      if (row.status !== 'sent') return outcome(row, 'delivery.unchanged');
      row.status = 'delivered';
      row.deliveredAt = s.at ? new Date(s.at) : this.now();
      row.receipt = { ...row.receipt, delivery: s };
      row.history = [
        ...row.history,
        { at: this.now().toISOString(), event: 'delivered', detail: s.state },
      ];
      const saved = await repo.save(row);
      if (saved.caseId) {
        await this.timeline.append(em, {
          municipalityId,
          caseId: saved.caseId,
          kind: 'delivery.delivered',
          at: saved.deliveredAt!,
          data: { messageId: saved.id, channel: saved.channel, state: s.state },
        });
      }
      return outcome(saved, 'delivery.delivered');
    });
  }

  /**
   * The gateway reports that a sent message did not reach the recipient: it is dead-lettered (with
   * an alert) and the next channel is tried. It was never notified: its deemed date is withdrawn.
   */
  private reportedFailed(
    municipalityId: string,
    messageId: string,
    state: string,
  ): Promise<SendOutcome> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const m = await repo.findOneOrFail({
        where: { id: messageId },
        lock: { mode: 'pessimistic_write' },
      });
      if (m.status !== 'sent') return outcome(m, 'delivery.unchanged');
      const now = this.now();
      const reason = `the gateway reported the message as ${state} (not delivered)`;
      m.status = 'dead';
      m.deadAt = now;
      m.lastError = reason;
      m.deemedNotifiedOn = null;
      m.appealUntil = null;
      m.receipt = { ...m.receipt, delivery: { state, at: now.toISOString() } };
      m.history = [...m.history, { at: now.toISOString(), event: 'dead', detail: reason }];
      const saved = await repo.save(m);
      await this.logFailure(em, saved, 'delivery.dead');
      await this.alertDead(em, saved);
      if (saved.caseId)
        await this.timeline.append(em, {
          municipalityId,
          caseId: saved.caseId,
          kind: 'delivery.failed_report',
          at: now,
          data: {
            messageId: saved.id,
            channel: saved.channel,
            attempts: saved.attempts,
            error: reason,
          },
        });
      const o = outcome(saved, 'delivery.failed_report');
      o.fallbackId = await this.fallBack(em, saved, reason);
      return o;
    });
  }

  /**
   * Staff posted a printed letter: the message counts as sent from now (the proof is who marked it
   * and when). Marking it again changes nothing.
   */
  async markPosted(municipalityId: string, messageId: string, actor: string): Promise<SendOutcome> {
    return this.followUp(
      municipalityId,
      await this.tenantDb.run(municipalityId, async (em) => {
        const repo = em.getRepository(OutboxMessage);
        const m = await repo.findOne({
          where: { id: messageId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!m || m.channel !== 'post')
          throw new DomainError(ErrorCode.NotFound, `letter ${messageId} not found`);
        if (m.status === 'sent') return outcome(m, 'delivery.unchanged');
        if (m.status !== 'awaiting_post')
          throw DomainError.validation([
            {
              field: 'status',
              message: 'delivery:errors.notAwaitingPost',
              params: { status: m.status },
            },
          ]);
        const now = this.now();
        m.status = 'sent';
        m.sentAt = now;
        m.receipt = { ...m.receipt, postedBy: actor, postedAt: now.toISOString() };
        m.history = [...m.history, { at: now.toISOString(), event: 'posted', detail: actor }];
        const legal = await this.legalEffect(m, now);
        const saved = await repo.save(m);
        if (saved.caseId) {
          await this.timeline.append(em, {
            municipalityId,
            caseId: saved.caseId,
            kind: 'delivery.posted',
            at: now,
            data: {
              messageId: saved.id,
              channel: saved.channel,
              registrationNumber: saved.providerMessageId,
              postedBy: actor,
              deemedNotifiedOn: saved.deemedNotifiedOn,
            },
          });
          await legal?.(em);
        }
        return outcome(saved, 'delivery.posted');
      }),
    );
  }

  private claim(
    municipalityId: string,
    id: string,
  ): Promise<{ done: OutboxMessage } | { message: OutboxMessage }> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const m = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!m) throw new DomainError(ErrorCode.NotFound, `outbox message ${id} not found`);
      const now = this.now();
      const live =
        m.status === 'sending' &&
        m.claimedAt &&
        now.getTime() - m.claimedAt.getTime() < this.leaseMs;
      if (
        m.status === 'sent' ||
        m.status === 'delivered' ||
        m.status === 'dead' ||
        m.status === 'awaiting_post' ||
        live
      )
        return { done: m };
      m.status = 'sending';
      m.claimedAt = now;
      m.attempts += 1;
      m.history = [...m.history, { at: now.toISOString(), event: `attempt ${m.attempts}` }];
      return { message: await repo.save(m) };
    });
  }

  private record(
    municipalityId: string,
    claimed: OutboxMessage,
    result: ChannelResult | null,
    error: unknown,
  ): Promise<SendOutcome> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const m = await repo.findOne({
        where: { id: claimed.id },
        lock: { mode: 'pessimistic_write' },
      });
      // Another worker took the row over after our lease ran out: its result stands.
      if (!m || m.status !== 'sending' || m.attempts !== claimed.attempts)
        return outcome(m ?? claimed, 'delivery.unchanged');
      const now = this.now();
      m.claimedAt = null;
      let event: DeliveryEventKind;
      let legal: ((em: EntityManager) => Promise<void>) | null = null;
      if (result?.awaitsPosting) {
        // Post: the letter is ready; it is sent when staff mark it posted (markPosted).
        event = 'delivery.letter_queued';
        m.status = 'awaiting_post';
        m.providerMessageId = result.providerMessageId;
        m.receipt = result.receipt;
        m.lastError = null;
        m.nextAttemptAt = null;
        m.history = [
          ...m.history,
          {
            at: now.toISOString(),
            event: 'letter ready to print',
            detail: result.providerMessageId,
          },
        ];
      } else if (result) {
        event = 'delivery.sent';
        m.status = 'sent';
        m.sentAt = now;
        m.providerMessageId = result.providerMessageId;
        m.receipt = result.receipt;
        m.lastError = null;
        m.nextAttemptAt = null;
        legal = await this.legalEffect(m, now);
        m.history = [
          ...m.history,
          { at: now.toISOString(), event: 'sent', detail: result.providerMessageId },
        ];
      } else {
        const message = error instanceof Error ? error.message : String(error);
        const permanent = error instanceof DomainError && !error.retryable;
        m.lastError = message;
        if (permanent || m.attempts >= m.maxAttempts) {
          event = 'delivery.dead';
          m.status = 'dead';
          m.deadAt = now;
          m.nextAttemptAt = null;
          m.history = [...m.history, { at: now.toISOString(), event: 'dead', detail: message }];
        } else {
          event = 'delivery.retry_scheduled';
          m.status = 'failed';
          const delay = backoffDelay(
            m.attempts,
            {
              baseMs: this.config.DELIVERY_BACKOFF_BASE_MS,
              maxMs: this.config.DELIVERY_BACKOFF_MAX_MS,
            },
            this.random,
          );
          m.nextAttemptAt = new Date(now.getTime() + delay);
          m.history = [...m.history, { at: now.toISOString(), event: 'failed', detail: message }];
        }
      }
      const saved = await repo.save(m);
      if (event === 'delivery.retry_scheduled' || event === 'delivery.dead')
        await this.logFailure(em, saved, event);
      if (event === 'delivery.dead') await this.alertDead(em, saved);
      let fallbackId: string | null = null;
      if (saved.caseId) {
        await this.timeline.append(em, {
          municipalityId,
          caseId: saved.caseId,
          kind: event,
          at: now,
          data: {
            messageId: saved.id,
            channel: saved.channel,
            recipient: saved.recipient,
            attempts: saved.attempts,
            receipt: saved.receipt,
            error: saved.lastError,
            deemedNotifiedOn: saved.deemedNotifiedOn,
            appealUntil: saved.appealUntil,
          },
        });
        await legal?.(em);
      }
      if (event === 'delivery.dead')
        fallbackId = await this.fallBack(em, saved, saved.lastError ?? '');
      const o = outcome(saved, event);
      o.fallbackId = fallbackId;
      return o;
    });
  }

  /** Operators find a failed send by its case number (not only by ids) in the log. */
  private async logFailure(
    em: EntityManager,
    m: OutboxMessage,
    event: DeliveryEventKind,
  ): Promise<void> {
    const [kase] =
      m.caseId && isUuid(m.caseId)
        ? await em.query<{ number: string }[]>(`SELECT number FROM cases WHERE id = $1`, [m.caseId])
        : [];
    const line = {
      event,
      caseNumber: kase?.number ?? null,
      caseId: m.caseId,
      messageId: m.id,
      channel: m.channel,
      attempts: m.attempts,
      error: m.lastError,
    };
    const text = `delivery ${m.id} (${m.channel}) for case ${kase?.number ?? m.caseId ?? '-'}: ${event === 'delivery.dead' ? 'dead-lettered' : 'will be retried'} after attempt ${m.attempts}: ${m.lastError}`;
    if (event === 'delivery.dead') this.log.error(line, text);
    else this.log.warn(line, text);
  }

  private async alertDead(em: EntityManager, m: OutboxMessage): Promise<void> {
    const params = {
      caseId: m.caseId ?? '-',
      channel: m.channel,
      recipient: m.recipient,
      attempts: m.attempts,
      error: m.lastError ?? '',
    };
    const { alert, created } = await this.alerts.raise(em, {
      municipalityId: m.municipalityId,
      kind: 'delivery.dead',
      severity: 'critical',
      caseId: m.caseId,
      subjectType: 'outbox_message',
      subjectId: m.id,
      messageKey: 'delivery:alert.dead',
      params,
      dedupeKey: `delivery.dead:${m.id}:${m.deadAt?.toISOString()}`,
    });
    // Alerts about alert e-mails would loop: those stay rows only.
    if (!created || m.purpose === 'alert') return;
    for (const mgr of await this.alerts.managerDirectory.managers(em, m.municipalityId)) {
      await this.outbox.enqueue(em, {
        municipalityId: m.municipalityId,
        caseId: m.caseId,
        channel: 'email',
        purpose: 'alert',
        recipient: mgr.email,
        lang: mgr.lang,
        subject: this.i18n.t(mgr.lang, 'delivery:alert.deadSubject', params),
        body: this.i18n.t(mgr.lang, 'delivery:alert.dead', params),
        idempotencyKey: `alert:${alert.id}:${mgr.email}`,
      });
    }
  }

  private async loadFiles(municipalityId: string, ids: string[]): Promise<DeliveryFile[]> {
    if (ids.length === 0) return [];
    const files: DeliveryFile[] = [];
    for (const id of ids) files.push(await this.documents.load(municipalityId, id));
    return files;
  }

  private async withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new DomainError(
              ErrorCode.ExternalTimeout,
              `channel did not answer within ${this.config.DELIVERY_SEND_TIMEOUT_MS} ms`,
            ),
          ),
        this.config.DELIVERY_SEND_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([p, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends every due message of every municipality (messages not driven by a process run). Returns how many were tried. */
  /**
   * Asks the channels that report delivery (e-adrese) about messages sent in the last 14 days and
   * records those that arrived (status delivered, on the case timeline). A channel that cannot answer
   * now is asked again on a later round; the legal notification date does not depend on it.
   */
  async refreshSent(limitPerMunicipality = 50): Promise<number> {
    const reporting = [...this.channels.values()].filter((c) => c.status).map((c) => c.channel);
    if (reporting.length === 0) return 0;
    const since = new Date(this.now().getTime() - 14 * 86_400_000);
    const municipalities = await this.ds.query<{ id: string }[]>(`SELECT id FROM municipalities`);
    let delivered = 0;
    for (const { id: municipalityId } of municipalities) {
      const sent = await this.tenantDb.run(municipalityId, (em) =>
        em.query<{ id: string }[]>(
          `SELECT id FROM outbox_messages
            WHERE status = 'sent' AND provider_message_id IS NOT NULL AND channel = ANY($1) AND sent_at >= $2
            ORDER BY sent_at LIMIT $3`,
          [reporting, since, limitPerMunicipality],
        ),
      );
      for (const { id } of sent) {
        try {
          if ((await this.refreshStatus(municipalityId, id)).event === 'delivery.delivered')
            delivered++;
        } catch (e) {
          this.log.warn(
            { messageId: id, err: e instanceof Error ? e.message : String(e) },
            `delivery status of ${id} not available now`,
          );
        }
      }
    }
    return delivered;
  }

  async dispatchDue(limitPerMunicipality = 50): Promise<number> {
    const municipalities = await this.ds.query<{ id: string }[]>(`SELECT id FROM municipalities`);
    let tried = 0;
    for (const { id: municipalityId } of municipalities) {
      const now = this.now();
      const due = await this.tenantDb.run(municipalityId, (em) =>
        em.query<{ id: string }[]>(
          `SELECT id FROM outbox_messages
            WHERE (status IN ('pending', 'failed') AND next_attempt_at <= $1)
               OR (status = 'sending' AND claimed_at < $2)
            ORDER BY next_attempt_at LIMIT $3`,
          [now, new Date(now.getTime() - this.leaseMs), limitPerMunicipality],
        ),
      );
      for (const { id } of due) {
        await this.send(municipalityId, id);
        tried++;
      }
    }
    return tried;
  }
}
