/**
 * Deadlines and delivery benchmark.
 *
 *   npx tsc -p tsconfig.json --outDir dist-bench && node dist-bench/bench/deadlines-delivery.js
 *
 * Creates and drops its own migrated database (roles via DATABASE_ADMIN_URL). Measures, through the
 * real services on the app role's pool (RLS on): working-day arithmetic (pure), starting deadlines,
 * enqueueing outbox messages, and sending them through the portal-status simulator channel
 * (claim + record = two tenant transactions per message), sequentially and with 8 concurrent callers.
 * Env: BENCH_N (default 2000).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { HolidayCalendar } from '../src/deadlines/calendar/holiday-calendar';
import { addCalendarMonths, addWorkingDays } from '../src/deadlines/calendar/working-days';
import { DeadlinesService } from '../src/deadlines/deadlines.service';
import { DeliverySender } from '../src/delivery/delivery-sender';
import { OutboxService } from '../src/delivery/outbox.service';
import { TenantDb } from '../src/platform/tenancy/tenant-db';
import { pool, withBenchApp } from './support/bench-app';

const N = Number(process.env.BENCH_N ?? 2000);

function report(label: string, n: number, ms: number): void {
  console.log(
    `${label.padEnd(48)} ${String(n).padStart(6)} in ${ms.toFixed(0).padStart(6)} ms  ${(n / (ms / 1000)).toFixed(0).padStart(7)}/s  ${(ms / n).toFixed(3)} ms each`,
  );
}

async function timed(label: string, n: number, fn: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  await fn();
  report(label, n, performance.now() - t0);
}

async function main(): Promise<void> {
  await withBenchApp('civitas_bench_delivery', async (app) => {
    const ds = app.get(DataSource);
    const [{ id: municipalityId }] = await ds.query<{ id: string }[]>(
      `INSERT INTO municipalities (code, name, country, e_address) VALUES ('bench', 'Bench', 'LV', '_DEFAULT@90000000001') RETURNING id`,
    );

    const lv = new HolidayCalendar('LV');
    const days = Array.from({ length: 20_000 }, (_, k) =>
      new Date(Date.UTC(2026, 0, 1 + (k % 365))).toISOString().slice(0, 10),
    );
    await timed('addWorkingDays(LV, d, 30) pure', days.length, async () => {
      for (const d of days) addWorkingDays(lv, d, 30);
    });
    await timed('addCalendarMonths(LV, d, 1) pure', days.length, async () => {
      for (const d of days) addCalendarMonths(lv, d, 1);
    });

    const tenantDb = app.get(TenantDb);
    const ids = Array.from({ length: N }, (_, k) => k);
    // Baseline: what one committed write costs here (fsync), which dominates everything below.
    await timed('baseline: tenant tx with one insert, sequential', 300, async () => {
      for (let k = 0; k < 300; k++) {
        await tenantDb.run(municipalityId, (em) =>
          em.query(
            `INSERT INTO alerts (municipality_id, kind, severity, subject_type, subject_id, message_key, dedupe_key) VALUES ($1, 'bench', 'warning', 'x', 'y', 'm', $2)`,
            [municipalityId, `b-${k}`],
          ),
        );
      }
    });

    const deadlines = app.get(DeadlinesService);
    await timed('deadline start (tx, RLS), 8 concurrent', N, () =>
      pool(ids, 8, (k) =>
        deadlines.start({
          municipalityId,
          caseId: `b-${k}`,
          key: 'decision',
          ruleKey: 'tree-cutting-permit.decision',
          startedAt: new Date(),
        }),
      ),
    );

    const outbox = app.get(OutboxService);
    const messageIds: string[] = [];
    await timed('outbox enqueue (own tx each), 8 concurrent', N, () =>
      pool(ids, 8, async (k) => {
        const { message } = await tenantDb.run(municipalityId, (em) =>
          outbox.enqueue(em, {
            municipalityId,
            caseId: `b-${k}`,
            channel: 'portal_status',
            recipient: 'svc',
            subject: 'Statuss',
            body: 'x',
            idempotencyKey: `b-${k}:status`,
          }),
        );
        messageIds.push(message.id);
      }),
    );

    const sender = app.get(DeliverySender);
    const half = Math.floor(N / 2);
    await timed('send (claim + simulator + record), sequential', half, async () => {
      for (const id of messageIds.slice(0, half)) await sender.send(municipalityId, id);
    });
    await timed('send (claim + simulator + record), 8 concurrent', N - half, () =>
      pool(messageIds.slice(half), 8, (id) => sender.send(municipalityId, id)),
    );
    const sent = await tenantDb.run(municipalityId, (em) =>
      em.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM outbox_messages WHERE status = 'sent'`,
      ),
    );
    console.log(`sent: ${sent[0].n} of ${N}`);
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
