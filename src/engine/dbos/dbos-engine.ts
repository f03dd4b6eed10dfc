import { DBOS, type DLogger } from '@dbos-inc/dbos-sdk';
import { Logger } from '@nestjs/common';
import type { ActivityMap, EventTopic, ProcessContext } from '../../../workflows/kit/types';
import { parseProcessId } from '../../../workflows/kit/define';
import type { AnyProcess } from '../../../workflows';
import type { EngineProbe } from '../../platform/health/engine.health';
import type { ProcessEngine, RunDescription, RunStatus, StartResult } from '../process-engine';
import { runWithRetry } from '../retry';

export interface DbosEngineOptions {
  /** DBOS application name: scopes workflows in the system database. */
  appName: string;
  /**
   * Where DBOS keeps its system tables: the app database as the engine role, which may not run
   * DDL. `civitas db:setup` (runMigrations) creates and migrates the schema as the owner; launch
   * only verifies it is migrated.
   */
  systemDatabaseUrl: string;
  systemDatabaseSchemaName: string;
  /** Set explicitly (not DBOS's source hash) so runs parked for weeks resume after deploys. */
  applicationVersion: string;
  /** Stable per instance across restarts: on launch DBOS recovers the pending runs of this executor. */
  executorId: string;
  processes: readonly AnyProcess[];
  /** The activity map, or how to build it: called once on launch, when the application's ports exist. */
  activities: ActivityMap | (() => ActivityMap);
  logLevel?: string;
  systemDatabasePoolSize?: number;
}

/**
 * DBOS's own idle-in-transaction limit (60 s), given as a startup option of the system database
 * URL. Left to DBOS, it is a SET queued on every new pool connection, racing the borrower's first
 * query on the same client: pg warns "Calling client.query() when the client is already executing
 * a query" at every start, an error from pg 9. With the option in the URL DBOS adds no such query.
 */
export function withIdleTransactionTimeout(url: string, ms = 60_000): string {
  const u = new URL(url);
  const options = u.searchParams.get('options') ?? '';
  if (options.includes('idle_in_transaction_session_timeout')) return url;
  u.searchParams.set('options', `${options} -c idle_in_transaction_session_timeout=${ms}`.trim());
  return u.toString();
}

/** An unbounded wait is a chain of long waits (DBOS.recv defaults to 60 s when given none). */
const UNBOUNDED_WAIT_SECONDS = 30 * 86_400;

/** DBOS is a process-wide singleton; the registered workflow functions reach the launched engine here. */
let launched: DbosEngine | null = null;
/**
 * Further engines in the same process on the same system database (two app instances in one test
 * process) share the launched DBOS instead of failing; the last one to close shuts DBOS down.
 */
const guests = new Set<DbosEngine>();
const registered = new Map<string, (input: unknown) => Promise<unknown>>();

const STATUS: Record<string, RunStatus> = {
  PENDING: 'running',
  ENQUEUED: 'running',
  DELAYED: 'running',
  SUCCESS: 'completed',
  ERROR: 'failed',
  MAX_RECOVERY_ATTEMPTS_EXCEEDED: 'failed',
  CANCELLED: 'cancelled',
};

/**
 * The ProcessEngine on DBOS Transact, embedded in this Node process on the app's PostgreSQL.
 * Activities are DBOS steps, waitFor is DBOS.recv with a durable deadline, sleepUntil is a
 * durable DBOS.sleep, now() is DBOS.now (recorded). Workflow id = case id.
 */
export class DbosEngine implements ProcessEngine, EngineProbe {
  readonly name = 'dbos' as const;
  private readonly log = new Logger('DbosEngine');
  private readonly byId = new Map<string, AnyProcess>();

  constructor(private readonly opts: DbosEngineOptions) {
    for (const p of opts.processes) this.byId.set(p.id, p);
  }

  async launch(): Promise<void> {
    if (launched === this || guests.has(this)) return;
    this.activities(); // a wiring error (an activity defined twice, a missing port) stops the launch
    if (launched) {
      if (launched.opts.systemDatabaseUrl !== this.opts.systemDatabaseUrl || launched.opts.appName !== this.opts.appName) {
        throw new Error('a DBOS engine on another database is already launched in this process');
      }
      guests.add(this);
      return;
    }
    for (const p of this.opts.processes) {
      if (registered.has(p.id)) continue;
      const fn = DBOS.registerWorkflow(
        async (input: unknown) => {
          if (!launched) throw new Error('DBOS engine not launched');
          return launched.execute(p.id, input);
        },
        { name: p.id },
      );
      registered.set(p.id, fn);
    }
    DBOS.setConfig({
      name: this.opts.appName,
      systemDatabaseUrl: withIdleTransactionTimeout(this.opts.systemDatabaseUrl),
      systemDatabaseSchemaName: this.opts.systemDatabaseSchemaName,
      applicationVersion: this.opts.applicationVersion,
      // Kit changes to released versions' commands take a recorded branch (ProcessContext.patched).
      enablePatching: true,
      executorID: this.opts.executorId,
      logLevel: this.opts.logLevel ?? 'warn',
      systemDatabasePoolSize: this.opts.systemDatabasePoolSize,
      runMigrations: false,
      logger: this.opts.logLevel === 'silent' ? silentLogger : undefined,
    });
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- DBOS is a process singleton; its workflows find this engine here
    launched = this;
    try {
      await DBOS.launch();
    } catch (e) {
      launched = null;
      throw e;
    }
    this.log.log(
      `DBOS launched (app version ${this.opts.applicationVersion}, executor ${this.opts.executorId})`,
    );
  }

  async shutdown(): Promise<void> {
    if (guests.delete(this)) return;
    if (launched !== this) return;
    const [next] = guests;
    if (next) {
      // Hand the running DBOS to a remaining engine; its activities serve the same database.
      guests.delete(next);
      launched = next;
      return;
    }
    await DBOS.shutdown();
    launched = null;
  }

  private activityMap?: ActivityMap;
  private activities(): ActivityMap {
    const a = this.opts.activities;
    this.activityMap ??= typeof a === 'function' ? a() : a;
    return this.activityMap;
  }

  /** Nest lifecycle: launch on module init, shut down on destroy. */
  onModuleInit(): Promise<void> {
    return this.launch();
  }

  onModuleDestroy(): Promise<void> {
    return this.shutdown();
  }

  async start(
    processKey: string,
    caseId: string,
    input: unknown,
    opts?: { version?: number },
  ): Promise<StartResult> {
    const versions = this.opts.processes.filter((p) => p.key === processKey).map((p) => p.version);
    const version = opts?.version ?? (versions.length ? Math.max(...versions) : undefined);
    const def = version === undefined ? undefined : this.byId.get(`${processKey}@v${version}`);
    if (!def)
      throw new Error(`unknown process ${processKey}${opts?.version ? `@v${opts.version}` : ''}`);
    const fn = registered.get(def.id)!;
    try {
      await DBOS.startWorkflow(fn, { workflowID: caseId, workflowIDReusePolicy: 'reject' })(input);
      return { started: true };
    } catch (e) {
      if ((e as Error).name === 'DBOSWorkflowIDInUseError') return { started: false };
      throw e;
    }
  }

  async signal(
    caseId: string,
    topic: string,
    payload: unknown,
    opts?: { idempotencyKey?: string },
  ): Promise<void> {
    await DBOS.send(caseId, payload, topic, opts?.idempotencyKey);
  }

  async describe(caseId: string): Promise<RunDescription | null> {
    const s = await DBOS.getWorkflowStatus(caseId);
    if (!s) return null;
    const id = parseProcessId(s.workflowName);
    return {
      caseId,
      processKey: id?.key ?? s.workflowName,
      processVersion: id?.version ?? 0,
      status: STATUS[s.status] ?? 'unknown',
      startedAt: new Date(s.createdAt),
      closedAt: s.completedAt
        ? new Date(s.completedAt)
        : s.status === 'SUCCESS' || s.status === 'ERROR'
          ? new Date(s.updatedAt ?? s.createdAt)
          : undefined,
      result: s.output,
      error:
        s.error === undefined || s.error === null
          ? undefined
          : String((s.error as Error).message ?? s.error),
    };
  }

  async cancel(caseId: string, reason: string): Promise<void> {
    this.log.log(`cancelling run ${caseId}: ${reason}`);
    await DBOS.cancelWorkflow(caseId);
  }

  async ping(): Promise<void> {
    if ((launched !== this && !guests.has(this)) || !DBOS.isInitialized()) throw new Error('DBOS is not launched');
    await DBOS.listWorkflows({ limit: 1, loadInput: false });
  }

  /** Runs inside a DBOS workflow: builds the context and calls the process code. */
  private async execute(processId: string, input: unknown): Promise<unknown> {
    const def = this.byId.get(processId);
    if (!def) throw new Error(`process ${processId} is not registered`);
    return def.run(this.context(def), input);
  }

  private context(def: AnyProcess): ProcessContext<ActivityMap> {
    const activities = this.activities();
    const act = new Proxy({} as ActivityMap, {
      get: (_t, name) => {
        if (typeof name !== 'string' || name === 'then') return undefined;
        const impl = activities[name];
        if (!impl) throw new Error(`process ${def.id} calls unknown activity ${name}`);
        const options = def.activities?.[name];
        return (...args: unknown[]) =>
          DBOS.runStep(() => runWithRetry(name, options, () => impl(...args)), { name });
      },
    });
    return {
      caseId: DBOS.workflowID!,
      processKey: def.key,
      processVersion: def.version,
      act,
      waitFor: async <T>(topic: EventTopic<T>, o?: { until?: Date }): Promise<T | null> => {
        if (o?.until) return DBOS.recv<T>(topic.topic, { deadlineEpochMS: o.until.getTime() });
        for (;;) {
          const msg = await DBOS.recv<T>(topic.topic, { timeoutSeconds: UNBOUNDED_WAIT_SECONDS });
          if (msg !== null) return msg;
        }
      },
      // DBOS records the wake-up time on the first run, so recovery keeps the original deadline.
      sleepUntil: (at: Date) => DBOS.sleep(Math.max(0, at.getTime() - Date.now())),
      now: async () => new Date(await DBOS.now()),
      patched: (changeId: string) => DBOS.patch(changeId),
    };
  }
}

const noop = (): void => undefined;
const silentLogger: DLogger = { debug: noop, info: noop, warn: noop, error: noop };
