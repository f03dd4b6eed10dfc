import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { Municipality } from '../../platform/tenancy/municipality.entity';
import type {
  ChannelResult,
  DeliveryChannel,
  DeliveryFile,
  DocumentSource,
} from '../channels/channel.port';
import { OutboxMessage, type Channel } from '../outbox-message.entity';
import { canSendByEAddress } from '../recipient-router';
import type { ChannelFallback } from './channel-fallback';
import type { DeadLetter } from './dead-letter';
import type { LegalEffectSignal } from './legal-effect-signal';
import { outcome, type DeliveryEventKind, type PendingEntry, type SendOutcome } from './outcome';
import type { SenderContext } from './sender-context';

/**
 * One attempt at one outbox message: claims the row (short transaction), calls the channel outside
 * any transaction with the idempotency key, then records the result in a second short transaction.
 */
export class SendAttempt {
  constructor(
    private readonly ctx: SenderContext,
    private readonly channels: Map<Channel, DeliveryChannel>,
    private readonly documents: DocumentSource,
    private readonly legal: LegalEffectSignal,
    private readonly deadLetter: DeadLetter,
    private readonly fallback: ChannelFallback,
  ) {}

  async run(municipalityId: string, messageId: string): Promise<SendOutcome> {
    const claimed = await this.claim(municipalityId, messageId);
    if ('done' in claimed) {
      const o = outcome(claimed.done, 'delivery.unchanged');
      // Another attempt holds the row: come back when its lease runs out.
      if (claimed.done.status === 'sending' && claimed.done.claimedAt)
        o.nextAttemptAt = new Date(
          claimed.done.claimedAt.getTime() + this.ctx.leaseMs(),
        ).toISOString();
      return o;
    }
    const m = claimed.message;
    let result: ChannelResult | null = null;
    let error: unknown = null;
    try {
      result = await this.callChannel(municipalityId, m);
    } catch (e) {
      error = e;
    }
    return this.record(municipalityId, m, result, error);
  }

  private async callChannel(municipalityId: string, m: OutboxMessage): Promise<ChannelResult> {
    const channel = this.channels.get(m.channel);
    if (!channel)
      throw new DomainError(
        ErrorCode.Misconfigured,
        `no delivery channel configured for ${m.channel}`,
      );
    const municipality = await this.ctx.ds
      .getRepository(Municipality)
      .findOneByOrFail({ id: municipalityId });
    // A message written before this rule held (or by hand): DIV would refuse it (BL.PSS.003), so
    // it fails for good here, without a request, and goes on to its fallback channel.
    if (m.channel === 'e_address' && !canSendByEAddress(municipality))
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `municipality ${municipality.code} cannot send to an e-address (country ${municipality.country}, ${municipality.eAddress.trim() ? 'e-address configured' : 'no e-address of its own'})`,
      );
    const files = await this.loadFiles(municipalityId, m.attachments);
    return this.withTimeout(
      channel.sendTimeoutMs === undefined
        ? this.ctx.config.DELIVERY_SEND_TIMEOUT_MS
        : channel.sendTimeoutMs,
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
  }

  private claim(
    municipalityId: string,
    id: string,
  ): Promise<{ done: OutboxMessage } | { message: OutboxMessage }> {
    return this.ctx.tenantDb.run(municipalityId, async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const m = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!m) throw new DomainError(ErrorCode.NotFound, `outbox message ${id} not found`);
      const now = this.ctx.now();
      const live =
        m.status === 'sending' &&
        m.claimedAt &&
        now.getTime() - m.claimedAt.getTime() < this.ctx.leaseMs();
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
    return this.ctx.tenantDb.run(municipalityId, async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const m = await repo.findOne({
        where: { id: claimed.id },
        lock: { mode: 'pessimistic_write' },
      });
      // Another worker took the row over after our lease ran out: its result stands.
      if (!m || m.status !== 'sending' || m.attempts !== claimed.attempts)
        return outcome(m ?? claimed, 'delivery.unchanged');
      const now = this.ctx.now();
      m.claimedAt = null;
      let event: DeliveryEventKind;
      let legal: PendingEntry | null = null;
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
        legal = await this.legal.effect(m, now, em);
        m.history = [
          ...m.history,
          { at: now.toISOString(), event: 'sent', detail: result.providerMessageId },
        ];
      } else {
        event = this.deadLetter.afterFailure(m, error, now);
      }
      const saved = await repo.save(m);
      // Waiting for another message is neither a failure to log nor a line on the case timeline.
      if (event === 'delivery.deferred') return outcome(saved, event);
      if (event === 'delivery.retry_scheduled' || event === 'delivery.dead')
        await this.deadLetter.logFailure(em, saved, event);
      if (saved.caseId) {
        await this.ctx.timeline.append(em, {
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
      const o = outcome(saved, event);
      if (event === 'delivery.dead') {
        const fallback = await this.fallback.fallBack(em, saved, saved.lastError ?? '');
        await this.deadLetter.alertDead(em, saved, fallback?.message ?? null);
        o.fallbackId = fallback?.created ? fallback.message.id : null;
      }
      return o;
    });
  }

  private async loadFiles(municipalityId: string, ids: string[]): Promise<DeliveryFile[]> {
    if (ids.length === 0) return [];
    const files: DeliveryFile[] = [];
    for (const id of ids) files.push(await this.documents.load(municipalityId, id));
    return files;
  }

  /** A channel's answer, or a retryable timeout after `ms` (none when null: see `sendTimeoutMs`). */
  private async withTimeout<T>(ms: number | null, p: Promise<T>): Promise<T> {
    if (ms === null) return p;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new DomainError(ErrorCode.ExternalTimeout, `channel did not answer within ${ms} ms`),
          ),
        ms,
      );
    });
    try {
      return await Promise.race([p, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
