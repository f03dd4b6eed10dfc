/**
 * A Civitas engine in a process of its own, for crash tests: the parent starts it with
 * child_process.fork, drives it over IPC, and SIGKILLs it (or it kills itself at CRASH_AT).
 *
 * env: CHILD_EXECUTOR_ID (same id on relaunch, so DBOS recovers the runs), CRASH_AT
 * (`before:<activity>` or `after:<activity>`: SIGKILL itself at that point, first attempt only),
 * plus the test database URLs inherited from Jest's global setup.
 */
import { SystemClock } from '../../src/platform/clock/clock';
import 'reflect-metadata';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { createCaseFileActivities } from '../../activities';
import { engineDelivery } from './engine-delivery';
import { createReferenceActivities } from '../../activities/reference/reference.activities';
import { ReferenceRegistrySimulator } from '../../activities/reference/registry.port';
import { PROCESSES } from '../../workflows';
import { AuditLogSink } from '../../src/cases/case-file.ports';
import { AuditService } from '../../src/platform/audit/audit.service';
import { CaseService } from '../../src/cases/case.service';
import { TaskService } from '../../src/cases/task.service';
import { loadConfig } from '../../src/config/config';
import { DbosEngine } from '../../src/engine/dbos/dbos-engine';
import { dataSourceOptions } from '../../src/platform/database/data-source-options';
import { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { referenceProcess } from '../../src/modules/reference/reference.process';
import { ProcessRegistry } from '../../src/processes/process-registry';
import type { ActivityMap } from '../../workflows/kit';

export type ChildCommand =
  | { id: number; cmd: 'open'; municipalityId: string; input: Record<string, unknown> }
  | {
      id: number;
      cmd: 'complete';
      user: { accountId: string; municipalityId: string; roles: string[] };
      taskId: string;
      decision: unknown;
    }
  | { id: number; cmd: 'describe'; caseId: string };

async function main(): Promise<void> {
  const config = loadConfig();
  const executorId = process.env.CHILD_EXECUTOR_ID ?? 'crash-test';
  const crashAt = process.env.CRASH_AT ?? '';
  const effects = new Pool({ connectionString: config.DATABASE_OWNER_URL, max: 2 });
  const ds = new DataSource(dataSourceOptions(config.DATABASE_URL, { extra: { max: 5 } }));
  await ds.initialize();
  const tenantDb = new TenantDb(ds);

  const record = (caseId: string, name: string, phase: string) =>
    effects.query(
      'INSERT INTO crash_test.activity_runs (executor, case_id, name, phase, pid) VALUES ($1, $2, $3, $4, $5)',
      [executorId, caseId, name, phase, process.pid],
    );
  const base: ActivityMap = {
    ...createCaseFileActivities({ tenantDb }),
    ...createReferenceActivities({ tenantDb, registry: new ReferenceRegistrySimulator() }),
    ...engineDelivery(ds, tenantDb, config).delivery,
  };
  const activities: ActivityMap = Object.fromEntries(
    Object.entries(base).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        const caseId = String((args[0] as { caseId?: string } | undefined)?.caseId ?? '');
        await record(caseId, name, 'start');
        if (crashAt === `before:${name}`) process.kill(process.pid, 'SIGKILL');
        const out: unknown = await fn(...args);
        await record(caseId, name, 'done');
        if (crashAt === `after:${name}`) process.kill(process.pid, 'SIGKILL');
        return out;
      },
    ]),
  );

  const engine = new DbosEngine({
    appName: 'civitas',
    systemDatabaseUrl: config.DATABASE_ENGINE_URL,
    systemDatabaseSchemaName: 'dbos',
    applicationVersion: config.ENGINE_APP_VERSION,
    executorId,
    processes: PROCESSES,
    activities,
    logLevel: 'silent',
  });
  await engine.launch();
  const audit = new AuditLogSink(new AuditService(ds, tenantDb));
  const cases = new CaseService(tenantDb, engine, audit);
  const tasks = new TaskService(
    tenantDb,
    engine,
    audit,
    ProcessRegistry.of([referenceProcess]),
    new SystemClock(),
  );

  process.on('message', (m: ChildCommand) => {
    const run = async (): Promise<unknown> => {
      switch (m.cmd) {
        case 'open':
          return (
            await cases.open({
              municipalityId: m.municipalityId,
              processKey: 'reference',
              title: 'Crash',
              actor: 'system',
              input: m.input,
            })
          ).id;
        case 'complete':
          return (await tasks.complete(m.user, m.taskId, m.decision)).status;
        case 'describe':
          return engine.describe(m.caseId);
      }
    };
    run().then(
      (result) => process.send!({ id: m.id, result }),
      (e: unknown) => process.send!({ id: m.id, error: (e as Error).message }),
    );
  });
  process.on('disconnect', () => {
    void engine.shutdown().finally(() => process.exit(0));
  });
  process.send!({ ready: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
