/**
 * Payments benchmark (issue 15 part 7).
 *
 *   node -r ./test/support/swc-register.js bench/payments.ts
 *
 * Creates and drops its own migrated database. Through the shipped assembly (AppModule) on the app
 * role's pool (RLS on): schedules BENCH_AWARDS payment lines with the schedulePayment activity (8
 * concurrent callers), makes the month's payment run, writes its pain.001 (streamed in batches,
 * then validated with xmllint against the official XSD) and its accounting CSV; then the same for
 * a run of BENCH_FILE_LINES lines. Peak RSS and heap are sampled every 20 ms during each phase.
 * Env: BENCH_AWARDS (default 20000), BENCH_FILE_LINES (default 10000).
 */
import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { PaymentFilesService } from '../src/payments/payment-files.service';
import { PaymentsService } from '../src/payments/payments.service';
import { ProcessRegistry } from '../src/processes/process-registry';
import type { SchedulePaymentRequest } from '../src/payments/payment-input';
import { TenantDb } from '../src/platform/tenancy/tenant-db';
import { pool, withBenchApp } from './support/bench-app';

const AWARDS = Number(process.env.BENCH_AWARDS ?? 20_000);
const FILE_LINES = Number(process.env.BENCH_FILE_LINES ?? 10_000);
const MB = 1024 * 1024;

async function phase<T>(label: string, n: number, fn: () => Promise<T>): Promise<T> {
  global.gc?.();
  let rss = process.memoryUsage().rss;
  let heap = process.memoryUsage().heapUsed;
  const heap0 = heap;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 20);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    return await fn();
  } finally {
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(timer);
    console.log(
      `${label.padEnd(52)} ${String(n).padStart(6)} in ${ms.toFixed(0).padStart(6)} ms  ${(n / (ms / 1000)).toFixed(0).padStart(7)}/s  node CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, load ${loadavg()[0].toFixed(1)}, peak RSS ${(rss / MB).toFixed(0)} MiB, heap ${(heap0 / MB).toFixed(0)}→${(heap / MB).toFixed(0)} MiB`,
    );
  }
}

async function main(): Promise<void> {
  await withBenchApp('civitas_bench_payments', async (app) => {
    const ds = app.get(DataSource);
    const tenantDb = app.get(TenantDb);
    const payments = app.get(PaymentsService);
    const files = app.get(PaymentFilesService);
    const activities = app.get(ProcessRegistry).activities() as unknown as {
      schedulePayment(r: SchedulePaymentRequest): Promise<unknown>;
    };

    const [{ id: mid }] = await ds.query<{ id: string }[]>(
      `INSERT INTO municipalities (code, name, country, registration_number) VALUES ('bench', 'Benča novads', 'LV', '90000000001') RETURNING id`,
    );
    await payments.saveSettings(mid, { debtorIban: 'LV83BANK0000100000001', ekkCode: '6240' });
    const cases = Math.max(AWARDS, FILE_LINES);
    const ids = (await tenantDb.run(mid, (em) =>
      em.query(
        `INSERT INTO cases (municipality_id, number, process_key, process_version, status, stage, title, opened_at)
       SELECT $1, 'SA-2026-' || lpad(g::text, 6, '0'), 'reference', 1, 'open', 'award', 'Award ' || g, now()
         FROM generate_series(1, $2::int) g RETURNING id`,
        [mid, cases],
      ),
    )) as { id: string }[];

    const request = (caseId: string, k: number, month: string): SchedulePaymentRequest => ({
      municipalityId: mid,
      caseId,
      key: `gmi:${month}`,
      payee:
        k % 3 === 0
          ? { kind: 'provider', name: 'Tukuma Ūdens SIA', iban: 'LV97HABA0012345678910' }
          : { kind: 'resident', name: `Jānis Bērziņš ${k}`, iban: 'LV80BANK0000435195001' },
      amountCents: 13100 + (k % 5000),
      dueMonth: month,
      remittance: `GMI ${month}, lieta SA-2026-${k}`,
      purposeCode: 'BENE',
    });

    await phase('schedulePayment (activity, tx + RLS), 8 concurrent', AWARDS, () =>
      pool(
        ids.slice(0, AWARDS).map((c, k) => [c.id, k] as const),
        8,
        ([c, k]) => activities.schedulePayment(request(c, k, '2026-03')),
      ),
    );
    const { run } = await phase(`monthly run: collect ${AWARDS} due lines`, AWARDS, () =>
      payments.startRun(mid, 'bench', { month: '2026-03' }),
    );
    const big = await phase(`pain.001 of ${AWARDS} lines: write + xmllint`, AWARDS, () =>
      files.pain001(mid, run.id),
    );
    console.log(`  file ${((await stat(big.path)).size / MB).toFixed(1)} MiB`);
    await big.dispose();
    const csvPath = join(tmpdir(), `bench-payments-${process.pid}.csv`);
    await phase(`accounting CSV of ${AWARDS} lines`, AWARDS, () =>
      files.csv(mid, run.id, createWriteStream(csvPath)),
    );

    // The 10,000-line file on its own (issue goal: ≤ 3 s).
    await ds.query(`SELECT 1`);
    await pool(
      ids.slice(0, FILE_LINES).map((c, k) => [c.id, k] as const),
      8,
      ([c, k]) => activities.schedulePayment(request(c, k, '2026-04')),
    );
    const { run: april } = await payments.startRun(mid, 'bench', { month: '2026-04' });
    const file = await phase(`pain.001 of ${FILE_LINES} lines: write + xmllint`, FILE_LINES, () =>
      files.pain001(mid, april.id),
    );
    await file.dispose();
  });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
