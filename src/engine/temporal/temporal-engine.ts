import { Logger } from '@nestjs/common';
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  type WorkflowExecutionStatusName,
} from '@temporalio/client';
import type { AnyProcess } from '../../../workflows';
import { parseProcessId } from '../../../workflows/kit/define';
import { EVENT_SIGNAL, type EventSignalPayload } from '../../../workflows/temporal-contract';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type { EngineProbe } from '../../platform/health/engine.health';
import type { ProcessEngine, RunDescription, RunStatus, StartResult } from '../process-engine';

export interface TemporalEngineOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  processes: readonly AnyProcess[];
  /** Deadline of the /health probe's call to the frontend. */
  probeTimeoutMs?: number;
  /** Deadline of one client call including the client's own retries (a request must not hang). */
  callTimeoutMs?: number;
}

const STATUS: Record<WorkflowExecutionStatusName, RunStatus> = {
  RUNNING: 'running',
  PAUSED: 'running',
  CONTINUED_AS_NEW: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  TIMED_OUT: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'cancelled',
  UNSPECIFIED: 'unknown',
  UNKNOWN: 'unknown',
};

/**
 * The ProcessEngine as a Temporal client: runs live on a Temporal cluster and are executed by
 * src/worker.ts. Workflow id = case id, workflow type = process id (`key@vN`), every event is
 * the one `civitas.event` signal. The connection is lazy so the app starts while Temporal is
 * down; /health reports it.
 */
export class TemporalEngine implements ProcessEngine, EngineProbe {
  readonly name = 'temporal' as const;
  private readonly log = new Logger('TemporalEngine');
  private readonly connection: Connection;
  private readonly client: Client;

  constructor(private readonly opts: TemporalEngineOptions) {
    this.connection = Connection.lazy({ address: opts.address });
    this.client = new Client({ connection: this.connection, namespace: opts.namespace });
  }

  async start(
    processKey: string,
    caseId: string,
    input: unknown,
    opts?: { version?: number },
  ): Promise<StartResult> {
    const def = this.resolve(processKey, opts?.version);
    try {
      await this.call(() =>
        this.client.workflow.start(def.id, {
          workflowId: caseId,
          taskQueue: this.opts.taskQueue,
          args: [input],
          // A case number names one run for life: a second start, even after it closed, is refused.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'FAIL',
        }),
      );
      return { started: true };
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return { started: false };
      throw e;
    }
  }

  async signal(
    caseId: string,
    topic: string,
    payload: unknown,
    opts?: { idempotencyKey?: string },
  ): Promise<void> {
    const event: EventSignalPayload = {
      topic,
      payload,
      ...(opts?.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
    };
    await this.call(
      () => this.client.workflow.getHandle(caseId).signal(EVENT_SIGNAL, event),
      caseId,
    );
  }

  async describe(caseId: string): Promise<RunDescription | null> {
    const handle = this.client.workflow.getHandle(caseId);
    let d;
    try {
      d = await this.call(() => handle.describe());
    } catch (e) {
      if (e instanceof DomainError && e.code === ErrorCode.NotFound) return null;
      throw e;
    }
    const id = parseProcessId(d.type);
    const status = STATUS[d.status.name] ?? 'unknown';
    const outcome = status === 'completed' || status === 'failed' ? await this.outcome(caseId) : {};
    return {
      caseId,
      processKey: id?.key ?? d.type,
      processVersion: id?.version ?? 0,
      status,
      startedAt: d.startTime,
      closedAt: d.closeTime,
      ...outcome,
    };
  }

  async cancel(caseId: string, reason: string): Promise<void> {
    // Temporal's cancel carries no reason: the case file records it; the log keeps it for operators.
    this.log.log(`cancelling run ${caseId}: ${reason}`);
    await this.call(() => this.client.workflow.getHandle(caseId).cancel(), caseId);
  }

  async ping(): Promise<void> {
    const deadline = Date.now() + (this.opts.probeTimeoutMs ?? 3000);
    await this.connection.withDeadline(deadline, () =>
      this.connection.workflowService.getSystemInfo({}),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.connection.close();
  }

  /** The process version to start: the one asked for, else the highest registered. */
  private resolve(processKey: string, version?: number): AnyProcess {
    const versions = this.opts.processes.filter((p) => p.key === processKey).map((p) => p.version);
    const v = version ?? (versions.length ? Math.max(...versions) : undefined);
    const def = this.opts.processes.find((p) => p.key === processKey && p.version === v);
    if (!def)
      throw new DomainError(
        ErrorCode.NotFound,
        `unknown process ${processKey}${version ? `@v${version}` : ''}`,
      );
    return def;
  }

  private async outcome(caseId: string): Promise<Pick<RunDescription, 'result' | 'error'>> {
    try {
      return { result: await this.client.workflow.getHandle(caseId).result() };
    } catch (e) {
      const cause = e instanceof WorkflowFailedError ? (e.cause ?? e) : e;
      return { error: (cause as Error).message };
    }
  }

  /** Maps transport failures to retryable domain errors and a missing run to NotFound. */
  private async call<T>(fn: () => Promise<T>, caseId?: string): Promise<T> {
    try {
      return await this.connection.withDeadline(
        Date.now() + (this.opts.callTimeoutMs ?? 10_000),
        fn,
      );
    } catch (e) {
      if (e instanceof WorkflowNotFoundError)
        throw new DomainError(
          ErrorCode.NotFound,
          `no process run for case ${caseId ?? e.workflowId}`,
        );
      if (e instanceof WorkflowExecutionAlreadyStartedError) throw e;
      if (isUnavailable(e))
        throw new DomainError(
          ErrorCode.ExternalUnavailable,
          `Temporal at ${this.opts.address} is unavailable: ${(e as Error).message}`,
        );
      throw e;
    }
  }
}

/** gRPC UNAVAILABLE (14) / DEADLINE_EXCEEDED (4), or a connection that never came up. */
function isUnavailable(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (code === 14 || code === 4) return true;
  const cause = (e as { cause?: { code?: unknown } })?.cause;
  return (
    cause?.code === 14 ||
    cause?.code === 4 ||
    /ECONNREFUSED|connect|UNAVAILABLE/i.test(String((e as Error)?.message))
  );
}
