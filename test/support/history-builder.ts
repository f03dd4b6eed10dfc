/**
 * Builds Temporal workflow histories in code, in the proto-JSON form `Worker.runReplayHistory`
 * accepts (string event ids, base64 payloads). Only what Core checks on replay is modelled: the
 * order, types and ids of commands. The attributes below are those replay requires (MACHINE.md).
 *
 * The builder numbers events, keeps activity/timer sequence numbers the way the TypeScript SDK
 * assigns them (`"1"`, `"2"`, … per kind) and advances a clock so workflow time is realistic.
 */

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

export interface JsonPayload {
  metadata: { encoding: string };
  data: string;
}

/** A value as Temporal's default JSON payload converter encodes it. */
export function payload(value: unknown): JsonPayload {
  if (value === undefined) return { metadata: { encoding: b64('binary/null') }, data: '' };
  return { metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(value)) };
}

export const payloads = (...values: unknown[]): { payloads: JsonPayload[] } => ({
  payloads: values.map(payload),
});

type Attributes = Record<string, unknown>;
export interface HistoryEvent {
  eventId: string;
  eventTime: string;
  eventType: string;
  [attributes: string]: unknown;
}
export interface JsonHistory {
  events: HistoryEvent[];
}

export interface ActivityRef {
  activityId: string;
  activityType: string;
  scheduledEventId: string;
}
export interface TimerRef {
  timerId: string;
  startedEventId: string;
}

const lowerFirst = (s: string): string => s[0].toLowerCase() + s.slice(1);

export class HistoryBuilder {
  private readonly events: HistoryEvent[] = [];
  private clock: number;
  private activitySeq = 1;
  private timerSeq = 1;
  private lastTaskCompletedId = '0';
  private taskCount = 0;

  constructor(
    private readonly opts: {
      workflowType: string;
      taskQueue?: string;
      input?: unknown[];
      startTime?: Date;
      workflowId?: string;
    },
  ) {
    this.clock = (opts.startTime ?? new Date('2026-01-05T08:00:00.000Z')).getTime();
  }

  /** Current workflow time of the builder (what Date.now() returns in the next workflow task). */
  get now(): Date {
    return new Date(this.clock);
  }

  advance(ms: number): this {
    this.clock += ms;
    return this;
  }

  private add(type: string, attributes: Attributes): string {
    const eventId = String(this.events.length + 1);
    this.clock += 10;
    this.events.push({
      eventId,
      eventTime: new Date(this.clock).toISOString(),
      eventType: type,
      [`${lowerFirst(type)}EventAttributes`]: attributes,
    });
    return eventId;
  }

  started(): this {
    this.add('WorkflowExecutionStarted', {
      workflowType: { name: this.opts.workflowType },
      taskQueue: { name: this.opts.taskQueue ?? 'civitas', kind: 'Normal' },
      input: payloads(...(this.opts.input ?? [])),
      workflowTaskTimeout: '10s',
      workflowExecutionTimeout: '0s',
      workflowRunTimeout: '0s',
      originalExecutionRunId: '00000000-0000-4000-8000-000000000001',
      firstExecutionRunId: '00000000-0000-4000-8000-000000000001',
      attempt: 1,
      identity: 'history-builder',
    });
    return this;
  }

  /**
   * One workflow task: scheduled, started, completed. The first completion carries the SDK
   * flags, without which Core skips its activity id/type checks and wrong histories pass.
   */
  workflowTask(): this {
    const { scheduledEventId, startedEventId } = this.pendingWorkflowTask();
    const first = this.taskCount++ === 0;
    this.lastTaskCompletedId = this.add('WorkflowTaskCompleted', {
      scheduledEventId,
      startedEventId,
      identity: 'history-builder',
      ...(first ? { sdkMetadata: { coreUsedFlags: [1, 2, 3], langUsedFlags: [1, 2] } } : {}),
    });
    return this;
  }

  /** A workflow task scheduled and started but not completed: the run's next task, as on a live worker. */
  pendingWorkflowTask(): { scheduledEventId: string; startedEventId: string } {
    const scheduledEventId = this.add('WorkflowTaskScheduled', {
      taskQueue: { name: this.opts.taskQueue ?? 'civitas', kind: 'Normal' },
      startToCloseTimeout: '10s',
      attempt: 1,
    });
    const startedEventId = this.add('WorkflowTaskStarted', {
      scheduledEventId,
      identity: 'history-builder',
      requestId: `wft-${scheduledEventId}`,
    });
    return { scheduledEventId, startedEventId };
  }

  /** Schedules an activity (a command of the last workflow task). */
  scheduleActivity(activityType: string, ...args: unknown[]): ActivityRef {
    const activityId = String(this.activitySeq++);
    const scheduledEventId = this.add('ActivityTaskScheduled', {
      activityId,
      activityType: { name: activityType },
      taskQueue: { name: this.opts.taskQueue ?? 'civitas', kind: 'Normal' },
      input: payloads(...args),
      scheduleToCloseTimeout: '0s',
      scheduleToStartTimeout: '0s',
      startToCloseTimeout: '120s',
      heartbeatTimeout: '0s',
      workflowTaskCompletedEventId: this.lastTaskCompletedId,
    });
    return { activityId, activityType, scheduledEventId };
  }

  completeActivity(ref: ActivityRef, result?: unknown): this {
    const startedEventId = this.add('ActivityTaskStarted', {
      scheduledEventId: ref.scheduledEventId,
      identity: 'history-builder',
      attempt: 1,
    });
    this.add('ActivityTaskCompleted', {
      scheduledEventId: ref.scheduledEventId,
      startedEventId,
      result: payloads(result),
      identity: 'history-builder',
    });
    return this;
  }

  /** The activity's last attempt failed (its retries exhausted): the call rejects in the workflow. */
  failActivity(ref: ActivityRef, message: string): this {
    const startedEventId = this.add('ActivityTaskStarted', {
      scheduledEventId: ref.scheduledEventId,
      identity: 'history-builder',
      attempt: 1,
    });
    this.add('ActivityTaskFailed', {
      scheduledEventId: ref.scheduledEventId,
      startedEventId,
      failure: {
        message,
        source: 'TypeScriptSDK',
        applicationFailureInfo: { type: 'Error', nonRetryable: false },
      },
      identity: 'history-builder',
      retryState: 'RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED',
    });
    return this;
  }

  /** Schedules, runs and completes one activity, then the workflow task that follows. */
  activity(activityType: string, result?: unknown): this {
    const ref = this.scheduleActivity(activityType);
    return this.completeActivity(ref, result).workflowTask();
  }

  startTimer(durationMs: number): TimerRef {
    const timerId = String(this.timerSeq++);
    const startedEventId = this.add('TimerStarted', {
      timerId,
      startToFireTimeout: `${Math.max(1, Math.ceil(durationMs / 1000))}s`,
      workflowTaskCompletedEventId: this.lastTaskCompletedId,
    });
    return { timerId, startedEventId };
  }

  fireTimer(ref: TimerRef): this {
    this.add('TimerFired', { timerId: ref.timerId, startedEventId: ref.startedEventId });
    return this;
  }

  /** A timer cancelled by the last workflow task (e.g. `condition` that came true first). */
  cancelTimer(ref: TimerRef): this {
    this.add('TimerCanceled', {
      timerId: ref.timerId,
      startedEventId: ref.startedEventId,
      workflowTaskCompletedEventId: this.lastTaskCompletedId,
      identity: 'history-builder',
    });
    return this;
  }

  /**
   * What `patched(patchId)` records when it first runs live (a command of the last workflow task):
   * Core's `core_patch` marker and, with Core flag 2, the `TemporalChangeVersion` search attribute.
   */
  patchMarker(patchId: string): this {
    this.add('MarkerRecorded', {
      markerName: 'core_patch',
      details: { 'patch-data': payloads({ id: patchId, deprecated: false }) },
      workflowTaskCompletedEventId: this.lastTaskCompletedId,
    });
    this.add('UpsertWorkflowSearchAttributes', {
      workflowTaskCompletedEventId: this.lastTaskCompletedId,
      searchAttributes: { indexedFields: { TemporalChangeVersion: payload([patchId]) } },
    });
    return this;
  }

  signal(signalName: string, ...args: unknown[]): this {
    this.add('WorkflowExecutionSignaled', {
      signalName,
      input: payloads(...args),
      identity: 'history-builder',
    });
    return this;
  }

  cancelRequested(cause = 'cancelled by the case'): this {
    this.add('WorkflowExecutionCancelRequested', { cause, identity: 'history-builder' });
    return this;
  }

  /** The run ended as cancelled (a command of the last workflow task). */
  canceled(): this {
    this.add('WorkflowExecutionCanceled', {
      workflowTaskCompletedEventId: this.lastTaskCompletedId,
    });
    return this;
  }

  /** The run failed with `message` (a command of the last workflow task). */
  failed(message: string, type = 'Error'): this {
    this.add('WorkflowExecutionFailed', {
      failure: {
        message,
        source: 'TypeScriptSDK',
        applicationFailureInfo: { type, nonRetryable: true },
      },
      retryState: 'RETRY_STATE_RETRY_POLICY_NOT_SET',
      workflowTaskCompletedEventId: this.lastTaskCompletedId,
    });
    return this;
  }

  completed(result?: unknown): this {
    this.add('WorkflowExecutionCompleted', {
      result: payloads(result),
      workflowTaskCompletedEventId: this.lastTaskCompletedId,
    });
    return this;
  }

  build(): JsonHistory {
    return { events: structuredClone(this.events) };
  }
}
