/**
 * The engine-neutral process kit: the only API process code (workflows/) may use.
 * Both engines (DBOS, Temporal) implement ProcessContext; process code never sees either engine.
 * Nothing here may do I/O or read the clock: it is replayed.
 *
 * Beside the context: `humanTask` (one person's task with reminder and escalation), `collect`
 * (a group decision: one task per participant, a quorum and tally rule, a closing time),
 * `waitForEvent` (an outside event such as a payment, or a timeout at a deadline), and the
 * activities `linkCase` / `signalCase` (links between cases; a run signals a linked case's run
 * through the engine port). docs/engine.md describes each.
 */

/** How an activity is retried. Applies per attempt of a single activity call. */
export interface RetryPolicy {
  maxAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maxIntervalMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  initialIntervalMs: 1000,
  backoffCoefficient: 2,
  maxIntervalMs: 60_000,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ActivityFn = (...args: any[]) => Promise<any>;
export type ActivityMap = Record<string, ActivityFn>;

/** Per-activity options, declared with the process so both engines apply the same policy. */
export interface ActivityOptions {
  retry?: Partial<RetryPolicy>;
  /** Wall-clock limit for one attempt. */
  timeoutMs?: number;
}

/** A signal/event type, declared once and imported by both the process and the API that sends it. */
export interface EventDef<T> {
  readonly name: string;
  /** Phantom field carrying the payload type. */
  readonly __payload?: T;
}

/** A concrete topic of an event, e.g. task.completed:<taskId>. */
export interface EventTopic<T> {
  readonly topic: string;
  readonly __payload?: T;
}

/** The payload type carried by an event or topic. */
export type PayloadOf<E> =
  E extends EventDef<infer T> ? T : E extends EventTopic<infer T> ? T : never;

export interface ProcessContext<A extends ActivityMap> {
  /** The case number; also the workflow id in both engines. */
  readonly caseId: string;
  readonly processKey: string;
  readonly processVersion: number;
  /** Typed activity calls, each with the retry policy declared for it in defineProcess. */
  readonly act: A;
  /** Waits for an event; resolves with its payload, or null when `until` passes first. */
  waitFor<T>(topic: EventTopic<T>, opts?: { until?: Date }): Promise<T | null>;
  /** Durable sleep until an absolute time (survives restarts; not restarted from zero). */
  sleepUntil(at: Date): Promise<void>;
  /**
   * Deterministic current time (recorded by the engine, identical on replay). Async because DBOS
   * records it as a step (DBOS.now); Temporal's workflow clock resolves at once.
   */
  now(): Promise<Date>;
  /**
   * Whether this run takes the new path of a kit change that alters released versions' commands
   * (Temporal `patched`, DBOS `DBOS.patch`): true for work done now, false when re-running work
   * recorded before the change, so old histories replay unchanged. For the kit only: a process
   * changes its behaviour with a new version file.
   */
  patched(changeId: string): Promise<boolean>;
}

export interface ProcessMeta<A extends ActivityMap> {
  key: string;
  version: number;
  /** Retry/timeouts per activity name; unspecified activities use DEFAULT_RETRY. */
  activities?: { [K in keyof A]?: ActivityOptions };
}

export interface ProcessDefinition<I, O, A extends ActivityMap> extends ProcessMeta<A> {
  /** `${key}@v${version}`: the engine's workflow type name. */
  readonly id: string;
  run(ctx: ProcessContext<A>, input: I): Promise<O>;
}
