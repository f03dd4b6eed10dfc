/**
 * What the Temporal client (src/engine/temporal) and the Temporal bundle (workflows/temporal.ts)
 * agree on. Plain constants and types only: both Node and the workflow sandbox import this.
 */

/** The one signal that carries every process event; the run buffers it by topic. */
export const EVENT_SIGNAL = 'civitas.event';

export interface EventSignalPayload {
  topic: string;
  payload: unknown;
}

/** Search-free metadata stored on each run so `describe` can name the process without parsing. */
export interface RunMemo {
  processKey: string;
  processVersion: number;
}

/** Default wall-clock limit of one activity attempt when the process declares none. */
export const DEFAULT_ACTIVITY_TIMEOUT_MS = 2 * 60_000;
