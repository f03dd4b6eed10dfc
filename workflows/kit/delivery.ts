import { defineEvent } from './events';
import type { ProcessContext } from './types';

/**
 * A notice that took legal effect: the outbox sent it (or staff posted the letter) and it is
 * deemed notified on `deemedNotifiedOn` (per channel, from the effective-dated parameters). The
 * delivery sender signals it to the case's run as `delivery.notified:<key>`, `key` being the one
 * the process gave `notifyParty` / `deliverDocuments`; a fallback to another channel keeps the key.
 */
export interface DeliveryNotified {
  messageId: string;
  channel: string;
  sentAt: string;
  /** Local date; null when no rule applies to the channel (then the process decides). */
  deemedNotifiedOn: string | null;
  /** A decision: the last day of its appeal period. */
  appealUntil: string | null;
}

export const deliveryNotified = defineEvent<DeliveryNotified>('delivery.notified');

/** The activity awaitNotified reads the outbox with when its wait ends (activities/delivery provides it). */
export type NotifiedActivities = {
  readDeliveryNotice(req: {
    caseId: string;
    municipalityId: string;
    key: string;
  }): Promise<DeliveryNotified | null>;
};

export interface AwaitNotifiedOptions {
  municipalityId: string;
  /** The key the notice was sent with. */
  key: string;
  /** Give up waiting then (absolute): e.g. the case's decision deadline. */
  until: Date | string;
}

/**
 * Waits until the notice sent with `key` is deemed notified, and returns when and how. The wait is
 * the kit's durable `waitFor`; when it ends without a signal (the signal was lost in a crash after
 * the send was recorded, or nothing reached the party by `until`) the outbox is read once, so the
 * result is the case file's. Null: not sent by `until` (e.g. a letter never posted).
 */
export async function awaitNotified<A extends NotifiedActivities>(
  ctx: ProcessContext<A>,
  opts: AwaitNotifiedOptions,
): Promise<DeliveryNotified | null> {
  const until = new Date(opts.until);
  if (Number.isNaN(until.getTime()))
    throw new Error(`awaitNotified ${opts.key}: bad deadline ${String(opts.until)}`);
  const got = await ctx.waitFor(deliveryNotified.for(opts.key), { until });
  if (got) return got;
  return ctx.act.readDeliveryNotice({
    caseId: ctx.caseId,
    municipalityId: opts.municipalityId,
    key: opts.key,
  });
}
