import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { OutboxMessage } from '../outbox-message.entity';
import type { LegalEffectSignal } from './legal-effect-signal';
import { outcome, type SendOutcome } from './outcome';
import type { SenderContext } from './sender-context';

/**
 * Staff posted a printed letter: the message counts as sent from now (the proof is who marked it
 * and when). Marking it again changes nothing.
 */
export class LetterPosting {
  constructor(
    private readonly ctx: SenderContext,
    private readonly legal: LegalEffectSignal,
  ) {}

  markPosted(municipalityId: string, messageId: string, actor: string): Promise<SendOutcome> {
    return this.ctx.tenantDb.run(municipalityId, async (em) => {
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
      const now = this.ctx.now();
      m.status = 'sent';
      m.sentAt = now;
      m.receipt = { ...m.receipt, postedBy: actor, postedAt: now.toISOString() };
      m.history = [...m.history, { at: now.toISOString(), event: 'posted', detail: actor }];
      const legal = await this.legal.effect(m, now, em);
      const saved = await repo.save(m);
      if (saved.caseId) {
        await this.ctx.timeline.append(em, {
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
    });
  }
}
