/**
 * Social-assistance statistics benchmark (issue 15 item 10).
 *
 *   node -r ./test/support/swc-register.js bench/social-assistance-statistics.ts
 *
 * Creates and drops its own migrated database. Through the shipped assembly (AppModule) on the app
 * role's pool (RLS on): seeds BENCH_AWARDS awards in one municipality over 2026 (needy and
 * low-income, households of 1–4, 12 territories, periods of 3 or 6 months, some stopped early),
 * their GMI and housing amounts, and a payment line per benefit and month in force (paid,
 * scheduled, a few rejected and re-issued); a second municipality gets a tenth as many. Then times
 * each figure set of the statistics page for the year (one aggregate query each) and the ministry
 * report for a quarter and the year: BENCH_SAMPLES runs each, median and max.
 * Env: BENCH_AWARDS (default 20000), BENCH_SAMPLES (default 5).
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import {
  SocialAssistanceStatsService,
  type StatsRange,
} from '../src/modules/social-assistance/statistics/social-assistance-stats.service';
import { TenantDb } from '../src/platform/tenancy/tenant-db';
import { withBenchApp } from './support/bench-app';

const AWARDS = Number(process.env.BENCH_AWARDS ?? 20_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);

async function timed(label: string, fn: () => Promise<unknown>): Promise<void> {
  const ms: number[] = [];
  let size = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    const r = await fn();
    ms.push(performance.now() - t0);
    size = Array.isArray(r) ? r.length : 1;
  }
  ms.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(58)} median ${ms[Math.floor(ms.length / 2)].toFixed(0).padStart(6)} ms  max ${ms[ms.length - 1].toFixed(0).padStart(6)} ms  (${size} rows, load ${loadavg()[0].toFixed(1)})`,
  );
}

/** Awards, their amounts and their payment lines for one municipality, in SQL (set-based). */
async function seed(tenantDb: TenantDb, mid: string, n: number): Promise<void> {
  await tenantDb.run(mid, async (em) => {
    await em.query(
      `INSERT INTO social_assistance_awards
         (municipality_id, case_id, application_id, holder_code, household_codes, status, valid_from, valid_until,
          territory, state, stop_reason, stopped_on, decided_by, decided_on)
       SELECT $1, gen_random_uuid(), gen_random_uuid(), 'H' || g,
              (SELECT jsonb_agg('P' || g || '-' || k) FROM generate_series(1, 1 + g % 4) k),
              CASE WHEN g % 3 = 0 THEN 'low-income' ELSE 'needy' END,
              s.valid_from, (s.valid_from + (CASE WHEN g % 5 = 0 THEN 6 ELSE 3 END) * interval '1 month' - interval '1 day')::date,
              'Territory ' || (g % 12), CASE WHEN g % 50 = 0 THEN 'stopped' ELSE 'active' END,
              CASE WHEN g % 50 = 0 THEN 'holder-died' END,
              CASE WHEN g % 50 = 0 THEN s.valid_from + 40 END, 'bench', s.valid_from
         FROM generate_series(1, $2::int) g
         CROSS JOIN LATERAL (SELECT (date '2026-01-01' + (g % 12) * interval '1 month')::date AS valid_from) s`,
      [mid, n],
    );
    await em.query(
      `INSERT INTO social_assistance_award_amounts
         (municipality_id, award_id, case_id, benefit, monthly_cents, valid_from, valid_until, reason,
          payee_kind, payee_name, payee_iban, calculation, parameters)
       SELECT a.municipality_id, a.id, a.case_id, b.benefit, 5000 + (abs(hashtext(a.holder_code)) % 20000),
              a.valid_from, a.valid_until, 'decision', 'resident', 'Bench', 'LV80BANK0000435195001', '[]', '{}'
         FROM social_assistance_awards a
         CROSS JOIN (VALUES ('gmi'), ('housing')) b(benefit)
        WHERE (b.benefit = 'gmi' AND a.status = 'needy') OR (b.benefit = 'housing' AND abs(hashtext(a.holder_code)) % 10 < 6)`,
    );
    await em.query(
      `INSERT INTO payment_lines
         (municipality_id, case_id, key, payee_kind, payee_name, payee_iban, amount_cents, due_month, remittance, status, created_by)
       SELECT am.municipality_id, am.case_id, am.benefit || ':' || to_char(m, 'YYYY-MM'), 'resident', 'Bench',
              'LV80BANK0000435195001', am.monthly_cents, to_char(m, 'YYYY-MM'), 'bench',
              CASE WHEN m < date '2026-10-01' THEN (CASE WHEN abs(hashtext(am.id::text)) % 100 = 0 THEN 'rejected' ELSE 'paid' END)
                   ELSE 'scheduled' END,
              'bench'
         FROM social_assistance_award_amounts am
         CROSS JOIN LATERAL generate_series(am.valid_from, LEAST(am.valid_until, date '2026-12-31'), interval '1 month') m`,
    );
    await em.query(
      `INSERT INTO payment_lines
         (municipality_id, case_id, key, payee_kind, payee_name, payee_iban, amount_cents, due_month, remittance, status, created_by)
       SELECT municipality_id, case_id, key || ':r1', payee_kind, payee_name, payee_iban, amount_cents, due_month, remittance, 'paid', 'bench'
         FROM payment_lines WHERE status = 'rejected'`,
    );
  });
}

async function main(): Promise<void> {
  await withBenchApp('civitas_bench_sa_stats', async (app) => {
    const ds = app.get(DataSource);
    const tenantDb = app.get(TenantDb);
    const stats = app.get(SocialAssistanceStatsService);
    const [{ id: mid }] = await ds.query<{ id: string }[]>(
      `INSERT INTO municipalities (code, name, country, registration_number) VALUES ('bench', 'Benča novads', 'LV', '90000000001') RETURNING id`,
    );
    const [{ id: other }] = await ds.query<{ id: string }[]>(
      `INSERT INTO municipalities (code, name, country, registration_number) VALUES ('bench2', 'Otrs novads', 'LV', '90000000002') RETURNING id`,
    );
    const t0 = performance.now();
    await seed(tenantDb, mid, AWARDS);
    await seed(tenantDb, other, Math.max(1, Math.floor(AWARDS / 10)));
    await ds.query(
      `ANALYZE social_assistance_awards, social_assistance_award_amounts, payment_lines`,
    );
    const [{ lines }] = await tenantDb.run(mid, (em) =>
      em.query(`SELECT count(*)::int AS lines FROM payment_lines`),
    );
    console.log(
      `seeded ${AWARDS} awards and ${lines} payment lines (+ a tenth in a second municipality) in ${(performance.now() - t0).toFixed(0)} ms`,
    );

    const year: StatsRange = { from: '2026-01', to: '2026-12' };
    await timed(`recipients per month × status × territory, 12 months`, () =>
      stats.recipients(mid, year),
    );
    await timed(`benefits per month × benefit × status/territory, 12 months`, () =>
      stats.benefits(mid, year),
    );
    await timed(`ministry report, a quarter (2026-Q2)`, () =>
      stats.report(mid, SocialAssistanceStatsService.parseReportPeriod({ report: '2026-Q2' })),
    );
    await timed(`ministry report, the year (2026)`, () =>
      stats.report(mid, SocialAssistanceStatsService.parseReportPeriod({ report: '2026' })),
    );
  });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
