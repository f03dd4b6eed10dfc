import { DBOS, type DLogger } from '@dbos-inc/dbos-sdk';
import { Logger } from '@nestjs/common';
import type { ActivityMap, EventTopic, ProcessContext } from '../../../workflows/kit/types';
import { parseProcessId } from '../../../workflows/kit/define';
import type { AnyProcess } from '../../../workflows';
import type { EngineProbe } from '../../platform/health/engine.health';
import type { ProcessEngine, RunDescription, RunStatus, StartResult } from '../process-engine';
import { runWithRetry } from '../retry';
import { SystemClock, type Clock } from '../../platform/clock/clock';

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
  /** Process time (ctx.now, deadlines of waits); the system clock when omitted. */
  clock?: Clock;
}

/**
 * Sent on a waiting run's topic when a controllable clock jumps past its deadline: the wait wakes
 * and waits again until its deadline, now in the past, so it times out. Never a payload any API sends.
 */
const CLOCK_TICK = { '@civitas/clock': 'advanced' } as const;
const isClockTick = (m: unknown): boolean =>
  typeof m === 'object' &&
  m !== null &&
  (m as Record<string, unknown>)['@civitas/clock'] === 'advanced';

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
  private readonly clock: Clock;
  /** Waits with a deadline in progress in this process, by run and topic: what a clock jump wakes. */
  private readonly timedWaits = new Map<string, { caseId: string; topic: string; until: number }>();
  private stopWaking: (() => void) | null = null;
  /**
   * DBOS is a process-wide singleton and takes a workflow name once per process, so this state is
   * process-wide too (the one documented exception to "no module-level state", kept inside the
   * adapter): the registered workflow functions reach the launched engine here; further engines in
   * the same process on the same system database (two app instances in one test process) are guests
   * of the launched DBOS instead of failing, and the last one to close shuts DBOS down.
   */
  private static launched: DbosEngine | null = null;
  private static readonly guests = new Set<DbosEngine>();
  private static readonly registered = new Map<string, (input: unknown) => Promise<unknown>>();

  constructor(private readonly opts: DbosEngineOptions) {
    for (const p of opts.processes) this.byId.set(p.id, p);
    this.clock = opts.clock ?? new SystemClock();
  }

  /** After a jump of the clock, wakes every wait whose deadline has now passed (each re-checks the clock). */
  private async wakeDueWaits(now: Date): Promise<void> {
    for (const w of [...this.timedWaits.values()]) {
      if (w.until <= now.getTime())
        await DBOS.send(
          w.caseId,
          CLOCK_TICK,
          w.topic,
          `clock:${now.getTime()}:${w.caseId}:${w.topic}`,
        );
    }
  }

  /** The wall-clock instant at which process time reaches `until` (equal for the system clock). */
  private wallTime(until: number): number {
    return until - (this.clock.now().getTime() - Date.now());
  }

  async launch(): Promise<void> {
    if (DbosEngine.launched === this || DbosEngine.guests.has(this)) return;
    this.activities(); // a wiring error (an activity defined twice, a missing port) stops the launch
    this.stopWaking ??= this.clock.onAdvance((now) =>
      (DbosEngine.launched ?? this).wakeDueWaits(now),
    );
    if (DbosEngine.launched) {
      if (
        DbosEngine.launched.opts.systemDatabaseUrl !== this.opts.systemDatabaseUrl ||
        DbosEngine.launched.opts.appName !== this.opts.appName
      ) {
        throw new Error('a DBOS engine on another database is already launched in this process');
      }
      DbosEngine.guests.add(this);
      return;
    }
    for (const p of this.opts.processes) {
      if (DbosEngine.registered.has(p.id)) continue;
      const fn = DBOS.registerWorkflow(
        async (input: unknown) => {
          if (!DbosEngine.launched) throw new Error('DBOS engine not launched');
          return DbosEngine.launched.execute(p.id, input);
        },
        { name: p.id },
      );
      DbosEngine.registered.set(p.id, fn);
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
    DbosEngine.launched = this;
    try {
      await DBOS.launch();
    } catch (e) {
      DbosEngine.launched = null;
      throw e;
    }
    this.log.log(
      `DBOS launched (app version ${this.opts.applicationVersion}, executor ${this.opts.executorId})`,
    );
  }

  async shutdown(): Promise<void> {
    this.stopWaking?.();
    this.stopWaking = null;
    if (DbosEngine.guests.delete(this)) return;
    if (DbosEngine.launched !== this) return;
    const [next] = DbosEngine.guests;
    if (next) {
      // Hand the running DBOS to a remaining engine; its activities serve the same database.
      DbosEngine.guests.delete(next);
      DbosEngine.launched = next;
      return;
    }
    await DBOS.shutdown();
    DbosEngine.launched = null;
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
    const fn = DbosEngine.registered.get(def.id)!;
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
    if ((DbosEngine.launched !== this && !DbosEngine.guests.has(this)) || !DBOS.isInitialized())
      throw new Error('DBOS is not launched');
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
    const clock = this.clock;
    // Recorded under DBOS.now's own step name, so runs recorded with either clock replay alike.
    const now = async (): Promise<Date> =>
      new Date(
        clock.kind === 'system'
          ? await DBOS.now()
          : await DBOS.runStep(async () => Promise.resolve(clock.now().getTime()), {
              name: 'DBOS.now',
            }),
      );
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
        const caseId = DBOS.workflowID!;
        if (o?.until) {
          const until = o.until.getTime();
          const key = `${caseId}\n${topic.topic}`;
          for (;;) {
            this.timedWaits.set(key, { caseId, topic: topic.topic, until });
            let msg: T | null;
            try {
              msg = await DBOS.recv<T>(topic.topic, { deadlineEpochMS: this.wallTime(until) });
            } finally {
              this.timedWaits.delete(key);
            }
            // Only a controllable clock sends ticks: with the system clock this is one recv, as before.
            // After a tick the wait goes on with its deadline in wall time recomputed: past once the
            // clock has passed it (then a message already queued is still taken first), else later.
            if (!isClockTick(msg)) return msg;
          }
        }
        for (;;) {
          const msg = await DBOS.recv<T>(topic.topic, { timeoutSeconds: UNBOUNDED_WAIT_SECONDS });
          if (msg !== null && !isClockTick(msg)) return msg;
        }
      },
      // DBOS records the wake-up time on the first run, so recovery keeps the original deadline.
      sleepUntil: (at: Date) => DBOS.sleep(Math.max(0, at.getTime() - this.clock.now().getTime())),
      now,
      patched: (changeId: string) => DBOS.patch(changeId),
    };
  }
}

const noop = (): void => undefined;
const silentLogger: DLogger = { debug: noop, info: noop, warn: noop, error: noop };
