/**
 * What the Temporal client (src/engine/temporal) and the Temporal bundle (workflows/temporal.ts)
 * agree on. Plain constants and types only: both Node and the workflow sandbox import this.
 */

/** The one signal that carries every process event; the run buffers it by topic. */
export const EVENT_SIGNAL = 'civitas.event';

export interface EventSignalPayload {
  topic: string;
  payload: unknown;
  /** Set by the sender when redelivery must not duplicate the message. */
  idempotencyKey?: string;
}

/** Default wall-clock limit of one activity attempt when the process declares none. */
export const DEFAULT_ACTIVITY_TIMEOUT_MS = 2 * 60_000;
