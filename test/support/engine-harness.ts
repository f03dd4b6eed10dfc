import { SystemClock } from '../../src/platform/clock/clock';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createCaseFileActivities } from '../../activities';
import { createGroupActivities } from '../../activities/case/group.activities';
import { createLinkActivities } from '../../activities/case/link.activities';
import { createReferenceActivities } from '../../activities/reference/reference.activities';
import { ReferenceRegistrySimulator } from '../../activities/reference/registry.port';
import { PROCESSES, type AnyProcess } from '../../workflows';
import type { ActivityMap } from '../../workflows/kit';
import { loadConfig } from '../../src/config/config';
import type { AuditSink } from '../../src/cases/audit-sink';
import { AuditLogSink } from '../../src/cases/case-file.ports';
import { Case } from '../../src/cases/case.entity';
import { CaseService } from '../../src/cases/case.service';
import { TaskService } from '../../src/cases/task.service';
import { LateEngine } from '../../src/engine/activities';
import { DbosEngine } from '../../src/engine/dbos/dbos-engine';
import { DomainError } from '../../src/platform/errors/domain-error';
import { AuditService } from '../../src/platform/audit/audit.service';
import { dataSourceOptions } from '../../src/platform/database/data-source-options';
import { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { engineDelivery } from './engine-delivery';
import { referenceProcess } from '../../src/modules/reference/reference.process';
import { ProcessRegistry } from '../../src/processes/process-registry';

export interface Harness {
  ds: DataSource;
  tenantDb: TenantDb;
  engine: DbosEngine;
  cases: CaseService;
  tasks: TaskService;
  audit: AuditSink;
  registry: ReferenceRegistrySimulator;
  /** Attempts per activity name (every attempt, including failed ones). */
  attempts: Map<string, number>;
  close(): Promise<void>;
}

/** Wraps activities to count every attempt, and lets a test run code before each attempt. */
export function counting(
  acts: ActivityMap,
  attempts: Map<string, number>,
  before?: (name: string) => Promise<void> | void,
): ActivityMap {
  return Object.fromEntries(
    Object.entries(acts).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        attempts.set(name, (attempts.get(name) ?? 0) + 1);
        await before?.(name);
        return fn(...args);
      },
    ]),
  );
}

/** A real DBOS engine on the test database, with its own executor id so test files never recover each other's runs. */
export async function startHarness(
  opts: {
    executorId?: string;
    extraProcesses?: readonly AnyProcess[];
    extraActivities?: ActivityMap;
  } = {},
): Promise<Harness> {
  const config = loadConfig();
  const ds = new DataSource(dataSourceOptions(config.DATABASE_URL, { extra: { max: 10 } }));
  await ds.initialize();
  const tenantDb = new TenantDb(ds);
  const registry = new ReferenceRegistrySimulator();
  const attempts = new Map<string, number>();
  const audit = new AuditLogSink(new AuditService(ds, tenantDb));
  const late = new LateEngine();
  const activities = counting(
    {
      ...createCaseFileActivities({ tenantDb, audit }),
      ...createGroupActivities({ tenantDb }),
      ...createLinkActivities({ tenantDb, engine: late.get }),
      ...createReferenceActivities({ tenantDb, registry }),
      ...engineDelivery(ds, tenantDb, config).delivery,
      ...opts.extraActivities,
    },
    attempts,
  );
  const engine = new DbosEngine({
    appName: 'civitas',
    systemDatabaseUrl: config.DATABASE_ENGINE_URL,
    systemDatabaseSchemaName: 'dbos',
    applicationVersion: config.ENGINE_APP_VERSION,
    executorId: opts.executorId ?? `test-${randomBytes(4).toString('hex')}`,
    processes: [...PROCESSES, ...(opts.extraProcesses ?? [])],
    activities,
    logLevel: 'silent',
  });
  late.bind(engine);
  await engine.launch();
  return {
    ds,
    audit,
    tasks: new TaskService(
      tenantDb,
      engine,
      audit,
      ProcessRegistry.of([referenceProcess]),
      new SystemClock(),
    ),
    tenantDb,
    engine,
    cases: new CaseService(tenantDb, engine, audit),
    registry,
    attempts,
    close: async () => {
      await engine.shutdown();
      await ds.destroy();
    },
  };
}

/** Polls until `fn` returns a value other than undefined/null/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The run of `caseId` once it is no longer running (completed, failed or cancelled). */
export const runFinished = (engine: DbosEngine, caseId: string, timeoutMs = 15_000) =>
  eventually(
    async () => {
      const d = await engine.describe(caseId);
      return d && d.status !== 'running' ? d : null;
    },
    timeoutMs,
    `the run of ${caseId} to finish`,
  );

/** The DomainError `p` rejects with (fails the test when it resolves or rejects with anything else). */
export async function domainRejection(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof DomainError))
    throw new Error(`expected a DomainError, got ${e === null ? 'success' : String(e)}`);
  return e;
}

/**
 * A case row for a test process (extra processes are not in the catalogue `CaseService.open`
 * reads): the test starts its run itself. `runStarted`: as the case core records a started run.
 */
export function caseRow(
  h: Harness,
  municipalityId: string,
  processKey: string,
  runStarted = true,
): Promise<Case> {
  return h.tenantDb.run(municipalityId, (em) =>
    em.save(
      em.create(Case, {
        municipalityId,
        number: `T-${randomUUID()}`,
        processKey,
        processVersion: 1,
        title: processKey,
        runStartedAt: runStarted ? new Date() : null,
      }),
    ),
  );
}
