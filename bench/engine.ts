/**
 * Engine benchmark (DBOS). Run: `node -r ./test/support/swc-register.js bench/engine.ts`
 * Creates a scratch database (roles via DATABASE_ADMIN_URL), migrates it, measures, drops it.
 *   1. Engine overhead per step: a process calling a no-op activity STEPS times; the gap between
 *      consecutive activity invocations is what the engine adds (checkpoint + dispatch).
 *   2. Throughput: reference-process runs without a human task (fastTrack), from opening the case
 *      (case row, number, timeline) to the closed case, CASES runs with CONCURRENCY in flight.
 * Env: BENCH_STEPS (default 2000), BENCH_CASES (1000), BENCH_CONCURRENCY (100).
 */
import 'reflect-metadata';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { createCaseFileActivities } from '../activities';
import { createReferenceActivities } from '../activities/reference/reference.activities';
import { ReferenceRegistrySimulator } from '../activities/reference/registry.port';
import { PROCESSES, type AnyProcess } from '../workflows';
import { defineProcess } from '../workflows/kit';
import { AuditLogSink } from '../src/cases/case-file.ports';
import { CaseService } from '../src/cases/case.service';
import { loadConfig } from '../src/config/config';
import { DbosEngine } from '../src/engine/dbos/dbos-engine';
import { AuditService } from '../src/platform/audit/audit.service';
import { dataSourceOptions } from '../src/platform/database/data-source-options';
import { TenantDb } from '../src/platform/tenancy/tenant-db';
import { engineDelivery } from '../test/support/engine-delivery';
import { createTestDatabase } from '../test/support/test-db';

const env = loadConfig();
const STEPS = Number(process.env.BENCH_STEPS ?? 2000);
const CASES = Number(process.env.BENCH_CASES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);

const marks: number[] = [];
type BenchActs = { noop(): Promise<void> };
const stepsProcess = defineProcess<{ steps: number }, number, BenchActs>(
  { key: 'bench-steps', version: 1 },
  async (ctx, input) => {
    for (let i = 0; i < input.steps; i++) await ctx.act.noop();
    return input.steps;
  },
);

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f = (n: number): string => n.toFixed(2);
const availableCores = (): number => availableParallelism();

async function main(): Promise<void> {
  const db = await createTestDatabase('civitas_bench');
  const ds = new DataSource(dataSourceOptions(db.appUrl, { extra: { max: 20 } }));
  await ds.initialize();
  const tenantDb = new TenantDb(ds);
  const activities = {
    ...createCaseFileActivities({ tenantDb }),
    ...createReferenceActivities({ tenantDb, registry: new ReferenceRegistrySimulator() }),
    ...engineDelivery(ds, tenantDb, env).delivery,
    noop: async () => {
      marks.push(performance.now());
    },
  };
  const engine = new DbosEngine({
    appName: 'civitas-bench',
    systemDatabaseUrl: db.engineUrl,
    systemDatabaseSchemaName: 'dbos',
    applicationVersion: env.ENGINE_APP_VERSION,
    executorId: 'bench',
    processes: [...PROCESSES, stepsProcess as unknown as AnyProcess],
    activities,
    logLevel: 'silent',
    systemDatabasePoolSize: 20,
  });
  await engine.launch();
  try {
    const [{ id: mun }] = (await ds.query(
      `INSERT INTO municipalities (code, name, country) VALUES ('bench', 'Bench', 'LV') RETURNING id`,
    )) as [{ id: string }];

    // 1. Overhead per step.
    await engine.start('bench-steps', 'warmup', { steps: 200 });
    await waitFor(async () => (await engine.describe('warmup'))?.status === 'completed');
    console.log(`load average before: ${loadavg().map(f).join(' ')} (${availableCores()} cores)`);
    marks.length = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await engine.start('bench-steps', 'steps', { steps: STEPS });
    await waitFor(async () => (await engine.describe('steps'))?.status === 'completed', 1);
    const total = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const gaps = marks.slice(1).map((m, i) => m - marks[i]);
    console.log(`## step overhead: ${STEPS} sequential no-op activities in one run`);
    console.log(
      `per step p50 ${f(pct(gaps, 50))} ms, p95 ${f(pct(gaps, 95))} ms, p99 ${f(pct(gaps, 99))} ms; whole run ${f(total)} ms (${f(total / STEPS)} ms/step); Node CPU ${f((cpu.user + cpu.system) / 1000 / STEPS)} ms/step`,
    );

    // 2. Reference runs without a human task.
    const cases = new CaseService(
      tenantDb,
      engine,
      new AuditLogSink(new AuditService(ds, tenantDb)),
    );
    const open = () =>
      cases.open({
        municipalityId: mun,
        processKey: 'reference',
        title: 'Bench',
        actor: 'system',
        input: { subjectRef: 'person-1', fastTrack: true },
      });
    await Promise.all(Array.from({ length: 20 }, open)); // warm-up
    await waitFor(async () => (await closed(tenantDb, mun)) >= 20);
    const rcpu0 = process.cpuUsage();
    const r0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CASES) {
          next++;
          await open();
        }
      }),
    );
    const opened = performance.now() - r0;
    const owner = new Pool({ connectionString: db.ownerUrl, max: 1 });
    const succeeded = async () =>
      (
        await owner.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM dbos.workflow_status WHERE name = 'reference@v1' AND status = 'SUCCESS'`,
        )
      ).rows[0].n;
    await waitFor(async () => (await succeeded()) >= CASES + 20, 5);
    const wall = performance.now() - r0;
    const rcpu = process.cpuUsage(rcpu0);
    console.log(
      `## reference runs (fastTrack: 4 activities, no human task), ${CASES} cases, ${CONCURRENCY} opening concurrently`,
    );
    console.log(
      `all opened in ${f(opened / 1000)} s; all runs completed in ${f(wall / 1000)} s => ${f(CASES / (wall / 1000))} runs/s; Node CPU ${f((rcpu.user + rcpu.system) / 1000 / CASES)} ms/run`,
    );
    const { rows } = await owner.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM dbos.workflow_status GROUP BY status`,
    );
    await owner.end();
    console.log(
      `runs by status: ${rows.map((r) => `${r.status} ${r.n}`).join(', ')}; cases closed ${await closed(tenantDb, mun)}`,
    );
    console.log(`load average after: ${loadavg().map(f).join(' ')}`);
  } finally {
    await engine.shutdown();
    await ds.destroy();
    await db.drop();
  }
}

async function closed(tenantDb: TenantDb, mun: string): Promise<number> {
  const [{ n }] = (await tenantDb.run(mun, (em) =>
    em.query(`SELECT count(*)::int AS n FROM cases WHERE status = 'closed'`),
  )) as [{ n: number }];
  return n;
}

async function waitFor(cond: () => Promise<boolean>, everyMs = 20): Promise<void> {
  const until = Date.now() + 300_000;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
