import type { EntityManager } from 'typeorm';
import type { OutboxMessage } from '../outbox-message.entity';
import type { SenderContext } from './sender-context';

/**
 * A message that failed for good is sent once on the next channel open to the party (decided
 * when it was written): a new outbox row keyed `<key>:fallback`, so a repeat changes nothing.
 */
export class ChannelFallback {
  constructor(private readonly ctx: SenderContext) {}

  /**
   * Writes the replacement in the caller's transaction (or finds the one written when the message
   * died before); null when there is no next channel.
   */
  async fallBack(
    em: EntityManager,
    m: OutboxMessage,
    reason: string,
  ): Promise<{ message: OutboxMessage; created: boolean } | null> {
    const [next, ...rest] = m.fallbackRoutes;
    if (!next || m.idempotencyKey.endsWith(':fallback')) return null;
    const { message, created } = await this.ctx.outbox.enqueue(em, {
      municipalityId: m.municipalityId,
      caseId: m.caseId,
      channel: next.channel,
      purpose: m.purpose,
      recipient: next.recipient,
      // Rendered for its channel when the message was written, else the same text fits.
      subject: next.text?.subject ?? m.subject,
      body: next.text?.body ?? m.body,
      lang: next.text?.lang ?? m.lang,
      attachments: m.attachments,
      idempotencyKey: `${m.idempotencyKey}:fallback`,
      noticeKey: m.noticeKey,
      fallbackRoutes: rest,
      fallbackOf: m.id,
      fallbackReason: reason,
    });
    if (created && m.caseId)
      await this.ctx.timeline.append(em, {
        municipalityId: m.municipalityId,
        caseId: m.caseId,
        kind: 'delivery.fallback',
        at: this.ctx.now(),
        data: {
          messageId: m.id,
          attempts: m.attempts,
          from: m.channel,
          to: next.channel,
          fallbackId: message.id,
          reason,
        },
      });
    return { message, created };
  }
}
