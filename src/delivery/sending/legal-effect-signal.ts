import type { EntityManager } from 'typeorm';
import type { DeliveryNotified } from '../../../workflows/kit/delivery';
import type { DeliveryLegalEffect } from '../legal/delivery-legal-effect';
import type { OutboxMessage } from '../outbox-message.entity';
import type { PendingEntry, SendOutcome } from './outcome';
import type { SenderContext } from './sender-context';

/** The run's topic for a notice that took legal effect (kit `awaitNotified` waits on it). */
const notifiedTopic = (noticeKey: string): string => `delivery.notified:${noticeKey}`;

/**
 * A sent message's legal effect: the day it is deemed notified (and a decision's appeal period) on
 * the message and the case timeline, and after the commit the signal to the case's run.
 */
export class LegalEffectSignal {
  constructor(
    private readonly ctx: SenderContext,
    private readonly legal: DeliveryLegalEffect,
  ) {}

  /**
   * Sets the day the message is deemed notified and, for a decision, its appeal period; returns
   * the timeline entry that says so (appended after the send's own entry).
   */
  async effect(m: OutboxMessage, sentAt: Date, em?: EntityManager): Promise<PendingEntry | null> {
    try {
      const deemed = await this.legal.deemedNotified(m.municipalityId, m.channel, sentAt, em);
      if (!deemed) return null;
      m.deemedNotifiedOn = deemed.on;
      const appeal =
        m.purpose === 'decision'
          ? await this.legal.appealUntil(m.municipalityId, deemed.on, em)
          : null;
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
        this.ctx.timeline.append(em, {
          municipalityId: m.municipalityId,
          caseId,
          kind: 'delivery.deemed_notified',
          at: sentAt,
          data,
        });
    } catch (e) {
      // A misconfigured period must not undo a send that happened: staff see the date is missing.
      this.ctx.log.error(
        { messageId: m.id, err: e instanceof Error ? e.message : String(e) },
        `deemed-notified date of ${m.id} not computed`,
      );
      return null;
    }
  }

  /** After the commit: a notice that was sent or posted is signalled to the case's run. */
  async signalNotified(municipalityId: string, o: SendOutcome): Promise<void> {
    if (!o.caseId || !o.sentAt || (o.event !== 'delivery.sent' && o.event !== 'delivery.posted'))
      return;
    const m = await this.ctx.outbox.get(municipalityId, o.messageId);
    if (!m.noticeKey) return;
    const payload: DeliveryNotified = {
      messageId: m.id,
      channel: m.channel,
      sentAt: o.sentAt,
      deemedNotifiedOn: m.deemedNotifiedOn,
      appealUntil: m.appealUntil,
    };
    await this.ctx.timeline.signalRun(
      o.caseId,
      notifiedTopic(m.noticeKey),
      payload,
      `delivery.notified:${m.id}`,
    );
  }
}
