/**
 * Workspace pages under load. Run: `node -r ./test/support/swc-register.js bench/workspace.ts`
 * (after `npm run build` for the CSS assets; the pages render without them too).
 * Creates a scratch database, migrates it, seeds BENCH_CASES cases (default 100,000) in one
 * municipality with their tasks, legal deadlines and timeline entries, starts the real app
 * (NestJS + DBOS, sessions, CSRF, RLS, audit), signs BENCH_USERS caseworkers in through the
 * password form, then each user requests pages in a closed loop for BENCH_SECONDS per scenario,
 * first with a think time between pages (mean BENCH_THINK_MS, default 1000), then back to back.
 * Prints p50/p95/p99 latency, throughput and CPU per request; drops the database.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { AccountsService } from '../src/platform/accounts/accounts.service';
import { freePort } from '../test/support/built-app';
import { createTestDatabase } from '../test/support/test-db';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const USERS = Number(process.env.BENCH_USERS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 1000);
/**
 * Serve from `node dist/src/main.js` with WEB_PROCESSES=BENCH_PROCESSES (node:cluster) instead of
 * the app in this process (needs `npm run build`). Unset: in this process, as before.
 */
const PROCESSES = process.env.BENCH_PROCESSES ? Number(process.env.BENCH_PROCESSES) : null;
/** A folder: the app's CPU profile of each scenario is written there (open in Chrome DevTools). */
const PROFILE_DIR = process.env.BENCH_PROFILE;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function seed(pool: Pool, mid: string, staff: string[]): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query(`SELECT set_config('app.municipality_id', $1, true)`, [mid]);
    // 70% open (in review, with a task and a running legal clock), 30% closed.
    await c.query(
      `INSERT INTO cases (municipality_id, number, process_key, process_version, status, stage, outcome, title, opened_at, closed_at)
       SELECT $1, 'REF-2026-' || lpad(g::text, 6, '0'), 'reference', 1,
              CASE WHEN g % 10 < 7 THEN 'open' ELSE 'closed' END,
              CASE WHEN g % 10 < 7 THEN (ARRAY['review','review','opened','registry-check'])[1 + g % 4] ELSE 'closed' END,
              CASE WHEN g % 10 < 7 THEN NULL ELSE 'approved' END,
              'Reference ' || g, now() - (g % 90) * interval '1 day', CASE WHEN g % 10 < 7 THEN NULL ELSE now() - (g % 30) * interval '1 day' END
         FROM generate_series(1, $2::int) g`,
      [mid, CASES],
    );
    await c.query(
      `INSERT INTO tasks (municipality_id, case_id, step, process_key, role, form_key, title, assignee_id, status, due_at)
       SELECT c.municipality_id, c.id, 'review', 'reference', 'caseworker', 'reference.review', 'Review the application',
              CASE WHEN n % 3 = 0 THEN ($2::uuid[])[1 + n % array_length($2::uuid[], 1)] END,
              CASE WHEN n % 3 = 0 THEN 'claimed' ELSE 'open' END,
              now() + ((n % 41) - 20) * interval '1 day'
         FROM (SELECT id, municipality_id, row_number() OVER () AS n FROM cases WHERE status = 'open' AND municipality_id = $1) c`,
      [mid, staff],
    );
    await c.query(
      `INSERT INTO deadlines (municipality_id, case_id, key, process_key, rule_id, rule_key, basis, country, unit, amount, max_extension, warn_before, on_resume,
                              started_at, started_on, due_on, max_due_on, warn_on, status, version)
       SELECT municipality_id, id::text, 'decision', 'reference', gen_random_uuid(), 'reference.decision', 'Administratīvā procesa likums 64. pants', 'LV',
              'working_days', 10, 20, 2, 'shift', opened_at, opened_at::date, (opened_at + interval '14 days')::date, (opened_at + interval '28 days')::date,
              (opened_at + interval '12 days')::date, 'running', 1
         FROM cases WHERE status = 'open' AND municipality_id = $1`,
      [mid],
    );
    for (const kind of ['case.opened', 'registry.checked', 'task.opened']) {
      await c.query(
        `INSERT INTO timeline_events (municipality_id, case_id, kind, actor, data, key, at)
         SELECT municipality_id, id, $2, 'system', '{}'::jsonb, $2, opened_at FROM cases WHERE municipality_id = $1`,
        [mid, kind],
      );
    }
    await c.query('COMMIT');
    await c.query('ANALYZE');
  } finally {
    c.release();
  }
}

async function inTenantRows(
  pool: Pool,
  mid: string,
  sql: string,
): Promise<Record<string, unknown>[]> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query(`SELECT set_config('app.municipality_id', $1, true)`, [mid]);
    const r = await c.query(sql);
    await c.query('COMMIT');
    return r.rows as Record<string, unknown>[];
  } finally {
    c.release();
  }
}
const inTenant = async (pool: Pool, mid: string, sql: string) =>
  (await inTenantRows(pool, mid, sql))[0];

async function signIn(
  url: string,
  username: string,
  password: string,
  mid: string,
): Promise<string> {
  const s = await fetch(`${url}/api/auth/session`);
  const jar = s.headers.getSetCookie().map((x) => x.split(';')[0]);
  const { csrfToken } = (await s.json()) as { csrfToken: string };
  const res = await fetch(`${url}/auth/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; ') },
    body: new URLSearchParams({
      _csrf: csrfToken,
      username,
      password,
      municipalityId: mid,
    }).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((x) => x.split(';')[0])
    .join('; ');
}

/** CPU seconds used so far by processes matching `match` (from /proc; 100 ticks per second on Linux). */
function cpuSeconds(match: (comm: string, pid: number, ppid: number) => boolean): number {
  let ticks = 0;
  for (const d of readdirSync('/proc')) {
    const pid = Number(d);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (!match(comm, pid, Number(f[1]))) continue;
      // utime + stime, plus the reaped children's (PostgreSQL's backends that have exited count in the postmaster)
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100;
}

/** Runs the closed loop in a child process (bench/support/http-load.mjs), as browsers would be elsewhere. */
async function load(
  label: string,
  url: string,
  cookies: string[],
  paths: string[],
  thinkMs = 0,
  appPid = process.pid,
): Promise<void> {
  const child = spawn(process.execPath, [join(__dirname, 'support', 'http-load.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  // The app: this process, or the spawned primary and its web processes.
  const cpu = () => ({
    app: cpuSeconds((_, pid, ppid) => pid === appPid || ppid === appPid),
    db: cpuSeconds((comm) => comm === 'postgres'),
  });
  const profiler = PROFILE_DIR ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const before = cpu();
  const appBefore = process.cpuUsage();
  child.stdin.end(JSON.stringify({ url, cookies, paths, seconds: SECONDS, thinkMs }));
  const code = await exited;
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    const file = join(PROFILE_DIR!, `${label.replace(/[^a-z0-9]+/gi, '-')}-${thinkMs}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    profiler.disconnect();
    console.log(`profile: ${file}`);
  }
  const after = cpu();
  const app = process.cpuUsage(appBefore);
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  const {
    latencies: lat,
    errors,
    bytes,
    cpuMicros,
  } = JSON.parse(out) as { latencies: number[]; errors: number; bytes: number; cpuMicros: number };
  console.log(
    `${label.padEnd(34)} n=${lat.length} ${(lat.length / SECONDS).toFixed(0)} req/s  p50=${pct(lat, 50).toFixed(1)} ms  p95=${pct(lat, 95).toFixed(1)} ms  p99=${pct(lat, 99).toFixed(1)} ms  errors=${errors}  ${(bytes / Math.max(1, lat.length) / 1024).toFixed(0)} KiB/page`,
  );
  // Where the two cores went: CPU time per request of the app process, of every PostgreSQL
  // process (backends, WAL writer, checkpointer…) and of the load generator.
  const perReq = (seconds: number) => ((seconds * 1000) / Math.max(1, lat.length)).toFixed(1);
  console.log(
    `${''.padEnd(34)} CPU per request: app ${perReq(after.app - before.app)} ms${appPid === process.pid ? ` (kernel ${perReq(app.system / 1e6)})` : ''}, PostgreSQL ${perReq(after.db - before.db)} ms, load generator ${perReq(cpuMicros / 1e6)} ms`,
  );
}

/** Starts `node dist/src/main.js` with `processes` web processes and waits until all listen. */
async function serve(
  appUrl: string,
  ownerUrl: string,
  processes: number,
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: appUrl,
      DATABASE_OWNER_URL: ownerUrl,
      PORT: String(port),
      WEB_PROCESSES: String(processes),
      // Production turns Express's view cache on; the dev IdP keeps state in one process's memory.
      NODE_ENV: 'production',
      DEV_IDP_ENABLED: 'false',
      ENGINE_EXECUTOR_ID: 'bench-web',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d: Buffer) => {
    log += d.toString('utf8');
    process.stderr.write(d);
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('the app did not start within 2 minutes');
    const up = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up && (processes === 1 || log.includes(`${processes} web processes listening`))) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const db = await createTestDatabase('civitas_bench_ws');
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: db.appUrl,
    DATABASE_OWNER_URL: db.ownerUrl,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
  });
  const app = await createApp(config);
  // As in production: Express turns the view cache on only when NODE_ENV=production, which this
  // script does not set (it would also demand production secrets). Without it every request
  // re-reads and recompiles its templates.
  app.set('view cache', true);
  await app.listen(0, '127.0.0.1');
  let url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  let served: { url: string; pid: number; stop: () => Promise<void> } | null = null;
  const owner = new Pool({ connectionString: db.ownerUrl, max: 2 });
  try {
    const [{ id: mid }] = (
      await owner.query(
        `INSERT INTO municipalities (code, name, country) VALUES ('bench', 'Bench', 'LV') RETURNING id`,
      )
    ).rows as { id: string }[];
    const accounts = app.get(AccountsService);
    const users: { id: string; username: string; password: string }[] = [];
    for (let i = 0; i < USERS; i++) {
      const username = `bench.cw${i}`;
      const password = `bench-password-${i}`;
      const acc = await accounts.createStaff({
        username,
        displayName: `Caseworker ${i}`,
        password,
      });
      await accounts.grant(acc.id, mid, 'caseworker');
      users.push({ id: acc.id, username, password });
    }
    const t0 = performance.now();
    await seed(
      owner,
      mid,
      users.map((u) => u.id),
    );
    const counts = await inTenant(
      owner,
      mid,
      `SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM deadlines)::int AS deadlines, (SELECT count(*) FROM timeline_events)::int AS events`,
    );
    console.log(
      `seeded ${JSON.stringify(counts)} in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${USERS} users, ${SECONDS} s per scenario; load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    if (PROCESSES) {
      // Seeded through the app in this process; served by the spawned one(s) from here on.
      await app.close();
      served = await serve(db.appUrl, db.ownerUrl, PROCESSES);
      url = served.url;
      console.log(`serving from node dist/src/main.js, WEB_PROCESSES=${PROCESSES}`);
    }
    const cookies = await Promise.all(users.map((u) => signIn(url, u.username, u.password, mid)));
    const caseIds = (
      (await inTenantRows(owner, mid, `SELECT id FROM cases ORDER BY random() LIMIT 5000`)) as {
        id: string;
      }[]
    ).map((r) => r.id);
    const probe = await fetch(`${url}/workspace/cases/${caseIds[0]}`, {
      headers: { cookie: cookies[0] },
      signal: AbortSignal.timeout(20_000),
    });
    console.log(`probe case file: ${probe.status}`);
    const casePaths = caseIds.map((id) => `/workspace/cases/${id}`);

    if (process.env.BENCH_KEEP) return;
    // Warm-up: templates, pools, plans.
    await load(
      'warm-up (inbox + case file)',
      url,
      cookies.slice(0, 4),
      [...casePaths.slice(0, 500), ...Array<string>(500).fill('/workspace')],
      0,
      served?.pid,
    );
    const only = process.env.BENCH_ONLY;
    // Each scenario twice: users who wait a think time between pages (exponential, mean
    // BENCH_THINK_MS, default 1 s: a caseworker who reads nothing), and users who never wait
    // (BENCH_USERS requests always in flight: a stress test of the box's throughput).
    const scenarios: [string, string, string[]][] = [
      ['inbox', 'inbox, default (due soonest)', ['/workspace']],
      [
        'filters',
        'inbox, random filter/sort/page',
        [
          '/workspace?due=overdue',
          '/workspace?assignee=me',
          '/workspace?stage=review&sort=-due',
          '/workspace?sort=opened&page=3',
          '/workspace?due=week&sort=case',
        ],
      ],
      ['case', 'case file (random of 5,000)', casePaths],
    ];
    for (const thinkMs of [...new Set([THINK_MS, 0])]) {
      console.log(
        thinkMs
          ? `-- ${USERS} users, think time ${thinkMs} ms on average`
          : `-- ${USERS} users, no think time`,
      );
      for (const [key, label, paths] of scenarios)
        if (!only || only === key) await load(label, url, cookies, paths, thinkMs, served?.pid);
    }
    console.log(
      `load average after: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await owner.end();
    if (served) await served.stop();
    else await app.close();
    if (process.env.BENCH_KEEP) console.log(`kept database ${db.name}`);
    else await db.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
