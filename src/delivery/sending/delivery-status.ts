import { OutboxMessage, type Channel } from '../outbox-message.entity';
import type { DeliveryChannel } from '../channels/channel.port';
import type { ChannelFallback } from './channel-fallback';
import type { DeadLetter } from './dead-letter';
import { outcome, type SendOutcome } from './outcome';
import type { SenderContext } from './sender-context';

/**
 * What a channel that reports delivery (e-adrese notifications) says about a sent message: it
 * arrived (status delivered), or it did not reach the recipient (dead-lettered, next channel).
 */
export class DeliveryStatus {
  constructor(
    private readonly ctx: SenderContext,
    private readonly channels: Map<Channel, DeliveryChannel>,
    private readonly deadLetter: DeadLetter,
    private readonly fallback: ChannelFallback,
  ) {}

  /** The channels that can be asked. */
  reporting(): Channel[] {
    return [...this.channels.values()].filter((c) => c.status).map((c) => c.channel);
  }

  async refresh(municipalityId: string, messageId: string): Promise<SendOutcome> {
    const m = await this.ctx.outbox.get(municipalityId, messageId);
    const channel = this.channels.get(m.channel);
    if (m.status !== 'sent' || !m.providerMessageId || !channel?.status)
      return outcome(m, 'delivery.unchanged');
    const s = await channel.status(m.providerMessageId);
    if (s.state === 'failed') return this.reportedFailed(municipalityId, messageId, s.state);
    if (!s.delivered) return outcome(m, 'delivery.unchanged');
    return this.ctx.tenantDb.run(municipalityId, async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const row = await repo.findOneOrFail({
        where: { id: messageId },
        lock: { mode: 'pessimistic_write' },
      });
      if (row.status !== 'sent') return outcome(row, 'delivery.unchanged');
      row.status = 'delivered';
      row.deliveredAt = s.at ? new Date(s.at) : this.ctx.now();
      row.receipt = { ...row.receipt, delivery: s };
      row.history = [
        ...row.history,
        { at: this.ctx.now().toISOString(), event: 'delivered', detail: s.state },
      ];
      const saved = await repo.save(row);
      if (saved.caseId) {
        await this.ctx.timeline.append(em, {
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
    return this.ctx.tenantDb.run(municipalityId, async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const m = await repo.findOneOrFail({
        where: { id: messageId },
        lock: { mode: 'pessimistic_write' },
      });
      if (m.status !== 'sent') return outcome(m, 'delivery.unchanged');
      const now = this.ctx.now();
      const reason = `the gateway reported the message as ${state} (not delivered)`;
      m.status = 'dead';
      m.deadAt = now;
      m.lastError = reason;
      m.deemedNotifiedOn = null;
      m.appealUntil = null;
      m.receipt = { ...m.receipt, delivery: { state, at: now.toISOString() } };
      m.history = [...m.history, { at: now.toISOString(), event: 'dead', detail: reason }];
      const saved = await repo.save(m);
      await this.deadLetter.logFailure(em, saved, 'delivery.dead');
      if (saved.caseId)
        await this.ctx.timeline.append(em, {
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
      const fallback = await this.fallback.fallBack(em, saved, reason);
      await this.deadLetter.alertDead(em, saved, fallback?.message ?? null);
      o.fallbackId = fallback?.created ? fallback.message.id : null;
      return o;
    });
  }
}
