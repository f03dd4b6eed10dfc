import type { EntityManager } from 'typeorm';
import { DomainError } from '../../platform/errors/domain-error';
import { isUuid } from '../../platform/ids';
import type { AlertService } from '../alerts/alert.service';
import { DeliveryDeferred } from '../channels/channel.port';
import { backoffDelay } from '../backoff';
import type { OutboxMessage } from '../outbox-message.entity';
import type { Translator } from '../translator';
import type { DeliveryEventKind } from './outcome';
import type { SenderContext } from './sender-context';

/**
 * A failed attempt: retried later with capped jittered backoff, or (permanent error, attempts
 * used up, or the gateway reporting it undelivered) dead-lettered with a log line and an alert.
 */
export class DeadLetter {
  constructor(
    private readonly ctx: SenderContext,
    private readonly alerts: AlertService,
    private readonly i18n: Translator,
  ) {}

  /**
   * Marks the claimed message failed (retry scheduled) or dead; returns which. A deferred message
   * (it waits for another) goes back to pending with its attempt given back: waiting is not failing.
   */
  afterFailure(
    m: OutboxMessage,
    error: unknown,
    now: Date,
  ): 'delivery.dead' | 'delivery.retry_scheduled' | 'delivery.deferred' {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof DeliveryDeferred) {
      m.nextAttemptAt = new Date(now.getTime() + this.delay(m.attempts));
      m.attempts -= 1;
      m.status = 'pending';
      m.history = [...m.history, { at: now.toISOString(), event: 'waiting', detail: message }];
      return 'delivery.deferred';
    }
    const permanent = error instanceof DomainError && !error.retryable;
    m.lastError = message;
    if (permanent || m.attempts >= m.maxAttempts) {
      m.status = 'dead';
      m.deadAt = now;
      m.nextAttemptAt = null;
      m.history = [...m.history, { at: now.toISOString(), event: 'dead', detail: message }];
      return 'delivery.dead';
    }
    m.status = 'failed';
    m.nextAttemptAt = new Date(now.getTime() + this.delay(m.attempts));
    m.history = [...m.history, { at: now.toISOString(), event: 'failed', detail: message }];
    return 'delivery.retry_scheduled';
  }

  private delay(attempt: number): number {
    return backoffDelay(
      attempt,
      {
        baseMs: this.ctx.config.DELIVERY_BACKOFF_BASE_MS,
        maxMs: this.ctx.config.DELIVERY_BACKOFF_MAX_MS,
      },
      () => this.ctx.random(),
    );
  }

  /** Operators find a failed send by its case number (not only by ids) in the log. */
  async logFailure(em: EntityManager, m: OutboxMessage, event: DeliveryEventKind): Promise<void> {
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
    if (event === 'delivery.dead') this.ctx.log.error(line, text);
    else this.ctx.log.warn(line, text);
  }

  /**
   * A dead message with nowhere else to go is critical: managers are e-mailed. One whose fallback to
   * the next channel went out (now or when it died before) is a warning row only: the party is
   * still being reached, staff see the failure on the case and in the dead-letter view.
   */
  async alertDead(
    em: EntityManager,
    m: OutboxMessage,
    fallback: OutboxMessage | null,
  ): Promise<void> {
    const params = {
      caseId: m.caseId ?? '-',
      channel: m.channel,
      recipient: m.recipient,
      attempts: m.attempts,
      error: m.lastError ?? '',
    };
    if (fallback) {
      await this.alerts.raise(em, {
        municipalityId: m.municipalityId,
        kind: 'delivery.fell_back',
        severity: 'warning',
        caseId: m.caseId,
        subjectType: 'outbox_message',
        subjectId: m.id,
        messageKey: 'delivery:alert.fellBack',
        params: { ...params, fallbackChannel: fallback.channel },
        dedupeKey: `delivery.fell_back:${m.id}:${m.deadAt?.toISOString()}`,
      });
      return;
    }
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
      await this.ctx.outbox.enqueue(em, {
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
}
