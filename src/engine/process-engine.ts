/**
 * The ProcessEngine port. The application (API, services) talks to running processes only
 * through this; DBOS (default) and Temporal adapters implement it with one behaviour.
 */
export const PROCESS_ENGINE = Symbol('PROCESS_ENGINE');

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'unknown';

export interface RunDescription {
  caseId: string;
  processKey: string;
  processVersion: number;
  status: RunStatus;
  startedAt?: Date;
  closedAt?: Date;
  result?: unknown;
  error?: string;
}

export interface StartResult {
  /** False when a run with this case id already existed (starting twice is harmless). */
  started: boolean;
}

export interface ProcessEngine {
  readonly name: 'dbos' | 'temporal';
  /** Starts process `processKey` at `version` (default: the current released version) for a case; workflow id = caseId. */
  start(
    processKey: string,
    caseId: string,
    input: unknown,
    opts?: { version?: number },
  ): Promise<StartResult>;
  /**
   * Delivers an event (topic such as `task.completed:<taskId>`) to a case's run. With an
   * idempotency key, delivering the same signal twice leaves one message.
   */
  signal(
    caseId: string,
    topic: string,
    payload: unknown,
    opts?: { idempotencyKey?: string },
  ): Promise<void>;
  describe(caseId: string): Promise<RunDescription | null>;
  cancel(caseId: string, reason: string): Promise<void>;
}
