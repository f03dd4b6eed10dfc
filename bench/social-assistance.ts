/**
 * Social assistance benchmark (issue 15, "Bench").
 *
 *   node -r ./test/support/swc-register.js bench/social-assistance.ts
 *
 * Creates and drops its own migrated database, seeds the register simulators with BENCH_PERSONS
 * synthetic persons and starts the real app (createApp: DBOS engine embedded, the 8 register
 * simulators each answering after a random 50–300 ms through their fault switches). Complete
 * applications of single adults from the population are prepared as drafts (not timed), then
 * submitted at BENCH_RATE per second (open loop) through SocialAssistanceApplicationService.submit,
 * which opens the case and starts the `social-assistance` run: 8 register checks in parallel, the
 * means assessment, the review task. Measured from the rows the run writes:
 *   - submission → assessment ready (assessment row stored), p50 / p95 / max;
 *   - sustained assessments per second (assessments / time from the first submission to the last
 *     assessment), next to the offered rate;
 *   - the raw baseline: the same 8 register calls (the same latency) in parallel plus the
 *     calculator, without the engine, per application.
 * The monthly payment run of 20,000 awards and the 10,000-line pain.001 are measured by
 * bench/payments.ts (same schedulePayment/startRun/pain001 path the process uses); set
 * BENCH_WITH_PAYMENTS=1 to run it after this one.
 * Env: BENCH_PERSONS (20000), BENCH_APPLICATIONS (300), BENCH_RATE (50), BENCH_LATENCY (50-300),
 * BENCH_WAIT_S (300: how long to wait for the assessments before reporting what was done).
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { seedRegisters } from '../src/integrations/sim/seed';
import { Simulators, type SimulatorName } from '../src/integrations/sim/simulators';
import { calculate } from '../src/modules/social-assistance/calculation/calculate';
import { SocialAssistanceApplication } from '../src/modules/social-assistance/application/application.entity';
import { SocialAssistanceApplicationService } from '../src/modules/social-assistance/application/application.service';
import {
  APPLICATION_STEPS,
  emptyApplicationData,
  type ApplicationData,
} from '../src/modules/social-assistance/application/application.types';
import { calculationInputOf } from '../src/modules/social-assistance/process/application-input';
import { SocialAssistanceRulesService } from '../src/modules/social-assistance/social-assistance-rules.service';
import { dropDatabase } from '../src/platform/database/provision';
import { TenantDb } from '../src/platform/tenancy/tenant-db';
import { createTestDatabase } from '../test/support/test-db';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 20_000);
const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS ?? 300);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const WAIT_S = Number(process.env.BENCH_WAIT_S ?? 300);
const [LAT_MIN, LAT_MAX] = (process.env.BENCH_LATENCY ?? '50-300').split('-').map(Number);
/** The registers the process asks (population household, social insurance, income, employment, disability, property, vehicles, award register). */
const REGISTERS: SimulatorName[] = [
  'population',
  'social-insurance',
  'income',
  'employment',
  'disability',
  'property',
  'vehicles',
  'assistance',
];
const MB = 1024 * 1024;

/** CPU seconds of every PostgreSQL backend connected to `db` (Linux /proc: utime + stime, clock ticks of 10 ms). */
function pgCpuS(db: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.startsWith('postgres: ') || !cmd.includes(` ${db} `)) continue;
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(Number(pid), (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return out;
}
const cpuSince = (before: Map<number, number>, after: Map<number, number>): number =>
  [...after].reduce((s, [pid, t]) => s + t - (before.get(pid) ?? 0), 0);

/**
 * Statements sent to PostgreSQL, by text (BENCH_COUNT_STATEMENTS=1): every pg client of the
 * process (the app's pools and the engine's) goes through Client.prototype.query.
 */
const statements = new Map<string, number>();
/** The same, by who sent them: the engine's checkpoints, the simulated registers, the app. */
const statementsBy = { engine: 0, registers: 0, app: 0 };
let counting = false;
if (process.env.BENCH_COUNT_STATEMENTS === '1') {
  const query = Client.prototype.query as (...a: unknown[]) => unknown;
  (Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (
    this: Client,
    ...args: unknown[]
  ) {
    if (counting) {
      const a = args[0] as string | { text?: string };
      const full = typeof a === 'string' ? a : (a?.text ?? '?');
      const text = full.replace(/\s+/g, ' ').slice(0, 90);
      statements.set(text, (statements.get(text) ?? 0) + 1);
      // The engine's own transactions begin with an isolation level (TypeORM's with START TRANSACTION).
      if (full.includes('"dbos".') || full.startsWith('BEGIN ISOLATION LEVEL'))
        statementsBy.engine++;
      else if (/\bsim_\w+/.test(full)) statementsBy.registers++;
      else statementsBy.app++;
    }
    return query.apply(this, args);
  };
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  console.log(
    `cores ${availableParallelism()}, load ${load()}; ${APPLICATIONS} applications offered at ${RATE}/s, register latency ${LAT_MIN}–${LAT_MAX} ms on ${REGISTERS.length} registers`,
  );
  const db = await createTestDatabase('civitas_bench_sa');
  const admin = loadConfig().DATABASE_ADMIN_URL;
  try {
    let t = performance.now();
    await seedRegisters(db.ownerUrl, { seed: 11, persons: PERSONS });
    console.log(`seeded ${PERSONS} persons in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const code = `b${randomBytes(4).toString('hex')}`;
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: db.appUrl,
      DATABASE_OWNER_URL: db.ownerUrl,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      DELIVERY_POLL_MS: '0',
      ENGINE_EXECUTOR_ID: `bench-${code}`,
    });
    const app = await createApp(config);
    await app.init();
    const ds = app.get(DataSource);
    const [mun] = (await ds.query(
      `INSERT INTO municipalities (code, name, country, registration_number, address) VALUES ($1, 'Bench pašvaldība', 'LV', '90000012345', 'Pils iela 1') RETURNING id`,
      [code],
    )) as [{ id: string }];
    const municipalityId = mun.id;
    const tenantDb = app.get(TenantDb);
    const service = app.get(SocialAssistanceApplicationService);
    const sims = app.get(Simulators);
    for (const r of REGISTERS) sims.faults(r).set({ latencyMs: LAT_MIN, latencyMaxMs: LAT_MAX });

    // Applicants: living adults of working age from the population register, one application each.
    const people = (await ds.query(
      `SELECT personal_code, given_name, family_name, birth_date::text AS birth FROM sim_persons
        WHERE deceased_on IS NULL AND birth_date BETWEEN '1962-01-01' AND '2004-01-01' LIMIT $1`,
      [APPLICATIONS],
    )) as { personal_code: string; given_name: string; family_name: string; birth: string }[];
    if (people.length < APPLICATIONS) throw new Error(`only ${people.length} applicants found`);
    const account = randomUUID();
    const dataOf = (p: (typeof people)[number], months: string[]): ApplicationData => ({
      ...emptyApplicationData(),
      members: [
        {
          givenName: p.given_name,
          familyName: p.family_name,
          personalCode: p.personal_code,
          birthDate: p.birth,
          relation: 'applicant',
          pensioner: false,
          disability: false,
          fullTimeEducation: false,
          workingAge: true,
        },
      ],
      regularIncomes: [
        {
          member: p.personal_code,
          type: 'wages',
          months: Object.fromEntries(months.map((m) => [m, 21_000])),
        },
      ],
      benefits: ['gmi', 'needy-status'],
      paymentAccount: 'LV80BANK0000435195001',
    });
    t = performance.now();
    const drafts: SocialAssistanceApplication[] = [];
    for (const p of people) {
      const d = await service.startDraft({
        municipalityId,
        applicantCode: p.personal_code,
        applicantName: `${p.given_name} ${p.family_name}`,
        channel: 'online',
        enteredBy: account,
        lang: 'lv',
      });
      // Preparation, not measured: the steps' answers written at once (the form saves them one by one).
      await tenantDb.run(municipalityId, (em) =>
        em.update(
          SocialAssistanceApplication,
          { id: d.id },
          {
            data: dataOf(p, d.incomeMonths),
            stepsDone: [...APPLICATION_STEPS],
            truthDeclared: true,
          },
        ),
      );
      drafts.push(
        await tenantDb.run(municipalityId, (em) =>
          em.findOneByOrFail(SocialAssistanceApplication, { id: d.id }),
        ),
      );
    }
    console.log(
      `prepared ${drafts.length} complete drafts in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    // Raw baseline: the 8 register calls in parallel (same latency) and the calculator, no engine.
    const rules = app.get(SocialAssistanceRulesService);
    const raw: number[] = [];
    for (const d of drafts.slice(0, 20)) {
      const t0 = performance.now();
      // The switch each simulator call goes through (latency only: the answer itself is a query).
      await Promise.all(REGISTERS.map((r) => sims.faults(r).call(() => Promise.resolve(null))));
      const asOf = new Date().toISOString().slice(0, 10);
      calculate(calculationInputOf(d.data, asOf), await rules.inForce(municipalityId, asOf));
      raw.push(performance.now() - t0);
    }
    console.log(
      `raw baseline (8 register latencies in parallel + calculator, no engine, 20): p50 ${pct(raw, 50).toFixed(0)} ms, p95 ${pct(raw, 95).toFixed(0)} ms`,
    );

    // Open-loop submissions at RATE per second.
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let heapPeak = heap0;
    const sampler = setInterval(
      () => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)),
      50,
    );
    const actor = { municipalityId, accountId: account, channel: 'online' as const };
    const pg0 = pgCpuS(db.name);
    counting = true;
    const app0 = process.cpuUsage();
    const start = performance.now();
    const submitErrors: unknown[] = [];
    const inflight: Promise<unknown>[] = [];
    for (let i = 0; i < drafts.length; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(service.submit(actor, drafts[i]).catch((e: unknown) => submitErrors.push(e)));
    }
    await Promise.all(inflight);
    const offeredS = (performance.now() - start) / 1000;
    if (submitErrors.length) console.log(`submit errors: ${submitErrors.length}`, submitErrors[0]);

    const count = async (): Promise<number> =>
      Number(
        (
          (await tenantDb.run(municipalityId, (em) =>
            em.query(`SELECT count(*)::int AS n FROM social_assistance_assessments`),
          )) as { n: number }[]
        )[0].n,
      );
    // Waits at most BENCH_WAIT_S for every assessment, then reports what was done by then.
    const deadline = Date.now() + WAIT_S * 1000;
    let done = await count();
    for (; done < drafts.length && Date.now() < deadline; done = await count())
      await new Promise((r) => setTimeout(r, 200));
    if (done < drafts.length)
      console.log(
        `NOT KEPT UP: ${done} of ${drafts.length} assessments ready ${WAIT_S} s after the first submission (load ${load()})`,
      );
    clearInterval(sampler);
    counting = false;
    const appCpu = process.cpuUsage(app0);
    const pgCpu = cpuSince(pg0, pgCpuS(db.name));
    const rows = (await tenantDb.run(municipalityId, (em) =>
      em.query(
        `SELECT extract(epoch FROM (s.created_at - a.submitted_at)) * 1000 AS ms,
                extract(epoch FROM a.submitted_at) * 1000 AS submitted, extract(epoch FROM s.created_at) * 1000 AS assessed
           FROM social_assistance_applications a JOIN social_assistance_assessments s ON s.application_id = a.id AND s.round = 1`,
      ),
    )) as { ms: string; submitted: string; assessed: string }[];
    const lat = rows.map((r) => Number(r.ms));
    if (lat.length === 0) throw new Error('no assessment ready: nothing to report');
    const first = Math.min(...rows.map((r) => Number(r.submitted)));
    const lastDone = Math.max(...rows.map((r) => Number(r.assessed)));
    const span = (lastDone - first) / 1000;
    console.log(
      `submission → assessment ready (${lat.length}): p50 ${pct(lat, 50).toFixed(0)} ms, p95 ${pct(lat, 95).toFixed(0)} ms, max ${Math.max(...lat).toFixed(0)} ms (target p95 ≤ 1500 ms)`,
    );
    console.log(
      `sustained: ${lat.length} assessments in ${span.toFixed(1)} s = ${(lat.length / span).toFixed(1)}/s (offered ${(drafts.length / offeredS).toFixed(1)}/s; target ≥ 50/s); heap ${(heap0 / MB).toFixed(0)}→peak ${(heapPeak / MB).toFixed(0)} MiB; load ${load()}`,
    );
    const perAssessment = (s: number): string => ((s * 1000) / Math.max(done, 1)).toFixed(1);
    console.log(
      `CPU per assessment (submission included): app process (with the submitting loop and the simulators) ${perAssessment((appCpu.user + appCpu.system) / 1e6)} ms (user ${perAssessment(appCpu.user / 1e6)}), PostgreSQL backends ${perAssessment(pgCpu)} ms; ${availableParallelism()} cores → at most ${((availableParallelism() * 1000) / ((((appCpu.user + appCpu.system) / 1e6 + pgCpu) * 1000) / Math.max(done, 1))).toFixed(0)}/s if nothing else ran`,
    );
    if (statements.size > 0) {
      const per = (n: number): string => (n / Math.max(done, 1)).toFixed(1);
      const all = statementsBy.engine + statementsBy.registers + statementsBy.app;
      // Each engine transaction ends with a COMMIT the app's count holds: moved to the engine's.
      const engineCommits = statements.get('BEGIN ISOLATION LEVEL READ COMMITTED') ?? 0;
      console.log(
        `statements per assessment: ${per(all)} (engine checkpoints ${per(statementsBy.engine + engineCommits)}, simulated registers ${per(statementsBy.registers)}, the app ${per(statementsBy.app - engineCommits)}); the most frequent:`,
      );
      for (const [text, n] of [...statements]
        .sort((a, b) => b[1] - a[1])
        .slice(0, Number(process.env.BENCH_TOP ?? 25)))
        console.log(`  ${per(n).padStart(6)}  ${text}`);
    }
    await app.close();
  } finally {
    await dropDatabase(admin, db.name).catch((e: unknown) => console.error('drop failed', e));
  }
  if (process.env.BENCH_WITH_PAYMENTS === '1') {
    console.log('payments (bench/payments.ts): the 20,000-award run and the 10,000-line pain.001');
    spawnSync(process.execPath, ['-r', './test/support/swc-register.js', 'bench/payments.ts'], {
      stdio: 'inherit',
      env: process.env,
    });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
