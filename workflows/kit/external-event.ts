import type { Event } from './events';
import type { ProcessContext } from './types';

/**
 * Waiting for something outside the municipality (a payment confirmation, a register
 * notification) until a deadline. The outside delivers through ExternalEventService
 * (src/cases/external-events.ts), which records it on the case timeline and sends this envelope
 * through the engine port, idempotent per event id: the same notification delivered twice
 * reaches the run once.
 */
export interface ExternalEventEnvelope<T> {
  /** The sender's id of this event (e.g. the payment's transaction id). */
  eventId: string;
  payload: T;
  /** When the case file first recorded it (ISO). */
  receivedAt: string;
}

export type ExternalEventResult<T> =
  | { outcome: 'received'; eventId: string; payload: T; receivedAt: string }
  | { outcome: 'timeout'; deadline: string };

/** The activity waitForEvent records a missed deadline with; activities/case provides it. */
export type ExternalEventActivities = {
  recordTimeline(entry: {
    caseId: string;
    municipalityId: string;
    key: string;
    kind: string;
    data?: Record<string, unknown>;
  }): Promise<void>;
};

export interface WaitForEventOptions {
  municipalityId: string;
  /** Absolute time (a Date, or ISO as the process input carries it): the run never computes calendars. */
  deadline: Date | string;
  /** Names this wait when a process waits for the same event more than once; defaults to the event name. */
  step?: string;
}

/**
 * Waits for `event` until `deadline`: the event's payload, or a timeout result (recorded on the
 * case timeline as `event.timed-out`). A durable wait on the kit's own clock (ctx.waitFor with an
 * absolute `until`), so a restart keeps the deadline; an event delivered before the run waits is
 * kept and taken at once.
 */
export async function waitForEvent<T, A extends ExternalEventActivities>(
  ctx: ProcessContext<A>,
  event: Event<T>,
  opts: WaitForEventOptions,
): Promise<ExternalEventResult<T>> {
  const deadline = new Date(opts.deadline);
  if (Number.isNaN(deadline.getTime()))
    throw new Error(`waitForEvent ${event.name}: bad deadline ${String(opts.deadline)}`);
  const got = await ctx.waitFor<ExternalEventEnvelope<T>>(event.topic as never, {
    until: deadline,
  });
  if (got)
    return {
      outcome: 'received',
      eventId: got.eventId,
      payload: got.payload,
      receivedAt: got.receivedAt,
    };
  await ctx.act.recordTimeline({
    caseId: ctx.caseId,
    municipalityId: opts.municipalityId,
    key: `event.timed-out:${opts.step ?? event.name}`,
    kind: 'event.timed-out',
    data: { event: event.name, deadline: deadline.toISOString() },
  });
  return { outcome: 'timeout', deadline: deadline.toISOString() };
}
