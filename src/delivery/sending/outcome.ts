import type { EntityManager } from 'typeorm';
import type { Channel, OutboxMessage, OutboxStatus } from '../outbox-message.entity';

export type DeliveryEventKind =
  | 'delivery.sent'
  | 'delivery.letter_queued'
  | 'delivery.posted'
  | 'delivery.retry_scheduled'
  | 'delivery.deferred'
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

export const outcome = (m: OutboxMessage, event: DeliveryEventKind): SendOutcome => ({
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

/** A timeline entry written later in the same transaction (after the send's own entry). */
export type PendingEntry = (em: EntityManager) => Promise<void>;
