/**
 * The Temporal workflow bundle entry. Every registered process version runs here under the
 * workflow type equal to its definition id (`key@vN`), implementing the engine-neutral
 * ProcessContext with Temporal primitives. Runs inside Temporal's deterministic sandbox:
 * Date.now() is the workflow-task time there, identical on replay.
 */
import {
  ApplicationFailure,
  TemporalFailure,
  condition,
  defineSignal,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
  type ActivityOptions as TemporalActivityOptions,
} from '@temporalio/workflow';
import { PROCESSES, type AnyProcess } from './index';
import {
  DEFAULT_RETRY,
  type ActivityFn,
  type ActivityMap,
  type ActivityOptions,
  type EventTopic,
  type ProcessContext,
} from './kit/types';
import {
  DEFAULT_ACTIVITY_TIMEOUT_MS,
  EVENT_SIGNAL,
  type EventSignalPayload,
} from './temporal-contract';

export const eventSignal = defineSignal<[EventSignalPayload]>(EVENT_SIGNAL);

/** The registered processes by Temporal workflow type (= definition id). */
export const workflowTypes: ReadonlyMap<string, AnyProcess> = new Map(
  PROCESSES.map((p) => [p.id, p]),
);

/** Maps the kit's per-activity policy onto Temporal's activity options. */
export function toTemporalActivityOptions(
  opts: ActivityOptions | undefined,
): TemporalActivityOptions {
  const retry = { ...DEFAULT_RETRY, ...opts?.retry };
  return {
    startToCloseTimeout: opts?.timeoutMs ?? DEFAULT_ACTIVITY_TIMEOUT_MS,
    retry: {
      maximumAttempts: retry.maxAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maxIntervalMs,
    },
  };
}

function activityProxy(def: AnyProcess): ActivityMap {
  const cache = new Map<string, ActivityFn>();
  return new Proxy({} as ActivityMap, {
    get(_target, name) {
      // `then` must stay undefined or `await ctx.act` would treat the map as a thenable.
      if (typeof name !== 'string' || name === 'then') return undefined;
      let fn = cache.get(name);
      if (!fn) {
        const options = toTemporalActivityOptions(
          (def.activities as Record<string, ActivityOptions> | undefined)?.[name],
        );
        fn = proxyActivities<ActivityMap>(options)[name];
        cache.set(name, fn);
      }
      return fn;
    },
  });
}

/** Events that arrived and were not yet taken, per topic, in arrival order (taken once each). */
class EventInbox {
  private readonly queues = new Map<string, unknown[]>();
  private readonly seenKeys = new Set<string>();

  constructor() {
    setHandler(eventSignal, ({ topic, payload, idempotencyKey }) => {
      // A redelivered signal (same key) leaves one message, as DBOS.send does with its key.
      if (idempotencyKey !== undefined) {
        if (this.seenKeys.has(idempotencyKey)) return;
        this.seenKeys.add(idempotencyKey);
      }
      const queue = this.queues.get(topic) ?? [];
      queue.push(payload);
      this.queues.set(topic, queue);
    });
  }

  has(topic: string): boolean {
    return (this.queues.get(topic)?.length ?? 0) > 0;
  }

  take<T>(topic: string): T {
    const queue = this.queues.get(topic) ?? [];
    const payload = queue.shift();
    if (queue.length === 0) this.queues.delete(topic);
    return payload as T;
  }

  async waitFor<T>({ topic }: EventTopic<T>, opts?: { until?: Date }): Promise<T | null> {
    // An event already here, or a deadline already past, needs no timer: the history stays minimal.
    if (this.has(topic)) return this.take<T>(topic);
    if (!opts?.until) {
      await condition(() => this.has(topic));
      return this.take<T>(topic);
    }
    const remaining = opts.until.getTime() - Date.now();
    if (remaining <= 0) return null;
    const arrived = await condition(() => this.has(topic), remaining);
    return arrived ? this.take<T>(topic) : null;
  }
}

function createContext(def: AnyProcess): ProcessContext<ActivityMap> {
  const inbox = new EventInbox();
  return {
    caseId: workflowInfo().workflowId,
    processKey: def.key,
    processVersion: def.version,
    act: activityProxy(def),
    waitFor: (topic, opts) => inbox.waitFor(topic, opts),
    async sleepUntil(at) {
      const remaining = at.getTime() - Date.now();
      if (remaining > 0) await sleep(remaining);
    },
    now: async () => new Date(Date.now()),
    patched: async (changeId) => patched(changeId),
  };
}

/**
 * Builds the dynamic workflow serving `registry` by workflow type. Exported so tests can bundle
 * probe processes through exactly the same runtime.
 */
export function processWorkflow(
  registry: ReadonlyMap<string, AnyProcess>,
): (input: unknown) => Promise<unknown> {
  return async function civitasProcess(input: unknown): Promise<unknown> {
    const type = workflowInfo().workflowType;
    const def = registry.get(type);
    if (!def) throw new TypeError(`No process registered for workflow type '${type}'`);
    const ctx = createContext(def);
    try {
      return await def.run(ctx, input);
    } catch (err) {
      // As on DBOS, an error thrown by process code ends the run as failed instead of retrying the
      // workflow task forever. Temporal failures (activity failed, cancelled) already do.
      if (err instanceof TemporalFailure) throw err;
      const e = err instanceof Error ? err : new Error(String(err));
      throw ApplicationFailure.nonRetryable(e.message, e.name);
    }
  };
}

/**
 * The dynamic (default) workflow: Temporal calls it for every workflow type the bundle does not
 * export by name, so each process version is reachable under its id `key@vN` without a generated
 * export per version. An unknown type fails the workflow task (retried), never the case.
 */
export default processWorkflow(workflowTypes);
