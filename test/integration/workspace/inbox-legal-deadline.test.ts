import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TIME_ZONES, endOfLocalDay } from '../../../src/deadlines/calendar/time-zone';
import type { CountryCode } from '../../../src/deadlines/calendar/holiday-calendar';
import { DeadlinesService } from '../../../src/deadlines/deadlines.service';
import { CLOCK, type Clock } from '../../../src/platform/clock/clock';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { CaseListService } from '../../../src/workspace/case-list.service';
import { DashboardService } from '../../../src/workspace/dashboard.service';
import { InboxService, type InboxRow, type InboxUser } from '../../../src/workspace/inbox.service';
import { startApp, type RunningApp } from '../../support/app';
import { signInStaff, type Session } from '../../support/session';
import { defineReferenceRule } from '../../support/workspace-fixtures';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(60_000);

/**
 * A task's own due date is the step's target; the case's legal deadline is the law's term. The
 * inbox goes by whichever comes first: a case past its legal term is overdue, counted and sorted
 * first even while its task's own date is weeks ahead.
 */
let app: RunningApp;
let mun: string;
let ruleKey: string;
let manager: Session;
let user: InboxUser;
const DAY = 86_400_000;

interface Made {
  caseId: string;
  taskId: string;
  number: string;
  deadlineId: string | null;
}

/** A case with one open task due `taskDueInDays` from the clock's now, and a legal clock started `legalStartedDaysAgo` ago. */
async function caseWith(
  label: string,
  taskDueInDays: number,
  legalStartedDaysAgo: number | null,
): Promise<Made> {
  const now = app.app.get<Clock>(CLOCK).now();
  const number = `LD-${label}-${randomUUID().slice(0, 6)}`;
  const [row] = (await app.app.get(TenantDb).run(mun, (em) =>
    em.query(
      `WITH c AS (
         INSERT INTO cases (municipality_id, number, process_key, process_version, status, stage, title, opened_at)
         VALUES ($1, $2, 'reference', 1, 'open', 'review', $3, $4) RETURNING id)
       INSERT INTO tasks (municipality_id, case_id, step, process_key, role, form_key, title, status, due_at)
       SELECT $1, c.id, 'review', 'reference', 'caseworker', 'reference.review', 'Review', 'open', $5 FROM c
       RETURNING case_id, id`,
      [mun, number, `Legal deadline ${label}`, now, new Date(now.getTime() + taskDueInDays * DAY)],
    ),
  )) as { case_id: string; id: string }[];
  const deadline =
    legalStartedDaysAgo === null
      ? null
      : await app.app.get(DeadlinesService).start({
          municipalityId: mun,
          caseId: row.case_id,
          key: 'decision',
          ruleKey,
          startedAt: new Date(now.getTime() - legalStartedDaysAgo * DAY),
        });
  return { caseId: row.case_id, taskId: row.id, number, deadlineId: deadline?.id ?? null };
}

let pastLegal: Made;
let laterLegal: Made;
let pausedLegal: Made;
let pastTask: Made;

beforeAll(async () => {
  app = await startApp({ ENGINE_EXECUTOR_ID: `ld-${randomUUID().slice(0, 8)}` });
  mun = (await createMunicipality(app.app)).id;
  ruleKey = await defineReferenceRule(app.app);
  manager = await signInStaff(app.app, mun, ['manager']);
  user = {
    accountId: manager.accountId,
    municipalityId: mun,
    roles: ['manager'],
    grants: [{ role: 'manager', processKey: null }],
  };
  // Legal term (10 working days) ran out weeks ago; the task was opened later and is due in 8 days.
  pastLegal = await caseWith('past-legal', 8, 40);
  // The opposite: the task's own date (3 days ago) has passed, the legal term has not.
  pastTask = await caseWith('past-task', -3, 0);
  // Neither has passed; the legal term (10 working days) comes before the task's date.
  laterLegal = await caseWith('later-legal', 30, 0);
  // The legal term would have run out, but its clock is paused (the applicant was asked for something).
  pausedLegal = await caseWith('paused-legal', 20, 40);
  await app.app
    .get(DeadlinesService)
    .pause(mun, pausedLegal.deadlineId!, new Date(Date.now() - 30 * DAY), 'info requested');
  // Deadlines changed after the tasks were written: the counts are recomputed, not served from cache.
  app.app.get(InboxService).invalidate(mun);
});
afterAll(() => app?.close());

const rowOf = (rows: InboxRow[], c: Made): InboxRow => {
  const row = rows.find((r) => r.caseNumber === c.number);
  if (!row) throw new Error(`no inbox row for ${c.number}`);
  return row;
};

it('shows a case past its legal deadline as overdue although its task is not due yet, counts it and sorts it first', async () => {
  const page = await app.app.get(InboxService).page(user, {});
  const past = rowOf(page.rows, pastLegal);
  expect(past.due.overdue).toBe(true);
  expect(past.due.tone).toBe('red');
  expect(past.dueBy).toBe('legal');
  expect(past.taskDue.overdue).toBe(false);
  expect(past.due.dueOn).toBe(past.legal!.dueOn);
  expect(page.rows[0].caseNumber).toBe(pastLegal.number);
  expect(page.counts.overdue).toBe(2);

  const overdue = await app.app.get(InboxService).page(user, { due: 'overdue' });
  expect(overdue.rows.map((r) => r.caseNumber)).toEqual([pastLegal.number, pastTask.number]);
  expect(overdue.counts.total).toBe(2);
  // Latest first puts it last.
  const desc = await app.app.get(InboxService).page(user, { sort: '-due' });
  expect(desc.rows.at(-1)!.caseNumber).toBe(pastLegal.number);
});

it('keeps a task overdue by its own date while the legal term runs, and a paused legal clock does not make a case overdue', async () => {
  const { rows } = await app.app.get(InboxService).page(user, {});
  const task = rowOf(rows, pastTask);
  expect([task.due.overdue, task.dueBy, task.legal!.due.overdue]).toEqual([true, 'task', false]);
  const later = rowOf(rows, laterLegal);
  expect([later.due.overdue, later.dueBy]).toEqual([false, 'legal']);
  expect(later.due.dueOn).toBe(later.legal!.dueOn);
  expect(later.due.workingDaysLeft).toBeLessThan(later.taskDue.workingDaysLeft);
  const paused = rowOf(rows, pausedLegal);
  expect([paused.due.overdue, paused.dueBy, paused.legal!.status]).toEqual([
    false,
    'task',
    'paused',
  ]);
  expect(rows.map((r) => r.caseNumber)).toEqual([
    pastLegal.number,
    pastTask.number,
    laterLegal.number,
    pausedLegal.number,
  ]);
});

it('renders the overdue tag, the counter and both dates on the inbox page', async () => {
  const html = (await manager.agent.get('/workspace?lang=en').expect(200)).text;
  expect(html).toMatch(/data-testid="count-overdue">2</);
  const row = (c: Made) =>
    new RegExp(`<tr[^>]*data-case="${c.number}"[\\s\\S]*?</tr>`).exec(html)![0];
  expect(row(pastLegal)).toMatch(/govuk-tag--red">\d+ working days? overdue/);
  expect(row(pastLegal)).toContain('data-due-by="legal"');
  expect(row(pastLegal)).toContain('Task due ');
  expect(row(pastLegal)).toContain('Legal deadline ');
  expect(row(laterLegal)).toMatch(/working days? left/);
  expect(row(pausedLegal)).toMatch(/Legal deadline [^<]*\(Paused\)/);
});

it('gives the manager the same overdue figures: workload and the overdue case list', async () => {
  const d = await app.app.get(DashboardService).load(mun);
  expect(d.workload.reduce((n, w) => n + w.overdue, 0)).toBe(2);
  expect(d.overdue.map((x) => x.caseNumber)).toEqual([pastLegal.number]);
  const list = await app.app.get(CaseListService).list(mun, { overdue: true }, TIME_ZONES.LV);
  expect(list.rows.map((r) => r.number)).toEqual([pastLegal.number]);
  const csv = await manager.agent.get('/workspace/cases?overdue=1&format=csv').expect(200);
  expect(csv.text).toContain(pastLegal.number);
  expect(csv.text).not.toContain(pausedLegal.number);
});

it('follows the legal clock as it changes: a met deadline leaves the task its own date', async () => {
  await app.app.get(DeadlinesService).markMet(mun, pastLegal.deadlineId!, new Date());
  app.app.get(InboxService).invalidate(mun);
  const page = await app.app.get(InboxService).page(user, {});
  const row = rowOf(page.rows, pastLegal);
  expect([row.due.overdue, row.dueBy, row.due.dueOn]).toEqual([false, 'task', row.taskDue.dueOn]);
  expect(page.counts.overdue).toBe(1);
  // And a task opened on a case whose clock already ran out takes the legal date at once.
  const late = await caseWith('late-task', 5, 40);
  const [t] = (await app.app.get(TenantDb).run(mun, (em) =>
    em.query(
      `INSERT INTO tasks (municipality_id, case_id, step, process_key, role, form_key, title, status, due_at)
         VALUES ($1, $2, 'second', 'reference', 'caseworker', 'reference.review', 'Second', 'open', now() + interval '9 days')
         RETURNING first_due_at < due_at AS legal_first`,
      [mun, late.caseId],
    ),
  )) as { legal_first: boolean }[];
  expect(t.legal_first).toBe(true);
});

it('ends a legal day where the application does, in every country', async () => {
  for (const country of Object.keys(TIME_ZONES) as CountryCode[])
    for (const day of ['2026-03-29', '2026-07-01', '2026-10-25']) {
      const [r] = (await app.app
        .get(TenantDb)
        .run(mun, (em) =>
          em.query(`SELECT legal_deadline_end($1, $2::date) AS at`, [country, day]),
        )) as { at: Date }[];
      expect([country, day, r.at.toISOString()]).toEqual([
        country,
        day,
        endOfLocalDay(day, TIME_ZONES[country]).toISOString(),
      ]);
    }
});

it("counts the dashboard's weekly opened and closed cases up to the app's clock, not the database's", async () => {
  const other = (await createMunicipality(app.app)).id;
  const at = (iso: string) => new Date(iso);
  // Riga time: Monday 10 March 2031 00:30 is still Sunday 9 March in UTC.
  const made: [string, Date, Date | null][] = [
    ['W-a', at('2031-03-09T22:30:00Z'), null],
    ['W-b', at('2031-03-04T09:00:00Z'), at('2031-03-11T09:00:00Z')],
    ['W-c', at('2030-12-23T09:00:00Z'), at('2031-03-04T09:00:00Z')],
    ['W-old', at('2030-12-20T09:00:00Z'), null],
    ['W-later', at('2031-03-13T09:00:00Z'), null],
  ];
  await app.app.get(TenantDb).run(other, async (em) => {
    for (const [n, openedAt, closedAt] of made)
      await em.query(
        `INSERT INTO cases (municipality_id, number, process_key, process_version, status, stage, title, opened_at, closed_at)
         VALUES ($1, $2, 'reference', 1, $3, 'review', $2, $4, $5)`,
        [other, n, closedAt ? 'closed' : 'open', openedAt, closedAt],
      );
  });
  const { weeks } = await app.app.get(DashboardService).load(other, at('2031-03-12T10:00:00Z'));
  expect(weeks).toHaveLength(12);
  expect(weeks[0]).toEqual({ week: '2030-12-23', opened: 1, closed: 0 });
  expect(weeks.slice(-2)).toEqual([
    { week: '2031-03-03', opened: 1, closed: 1 },
    { week: '2031-03-10', opened: 1, closed: 1 },
  ]);
  expect(weeks.reduce((n, w) => n + w.opened, 0)).toBe(3);
});

it('gives a task its legal date when the task and the legal clock are written at the same time', async () => {
  const ds = app.app.get(DataSource);
  const now = app.app.get<Clock>(CLOCK).now();
  const [c] = (await app.app.get(TenantDb).run(mun, (em) =>
    em.query(
      `INSERT INTO cases (municipality_id, number, process_key, process_version, status, stage, title, opened_at)
       VALUES ($1, $2, 'reference', 1, 'open', 'review', 'Race', $3) RETURNING id`,
      [mun, `LD-race-${randomUUID().slice(0, 6)}`, now],
    ),
  )) as { id: string }[];
  // The process opens the task in its own transaction (not yet committed) ...
  const runner = ds.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  let taskId: string;
  try {
    await runner.query(`SELECT set_config('app.municipality_id', $1, true)`, [mun]);
    [{ id: taskId }] = (await runner.query(
      `INSERT INTO tasks (municipality_id, case_id, step, process_key, role, form_key, title, status, due_at)
       VALUES ($1, $2, 'review', 'reference', 'caseworker', 'reference.review', 'Review', 'open', $3) RETURNING id`,
      [mun, c.id, new Date(now.getTime() + 8 * DAY)],
    )) as { id: string }[];
    // ... while the caller starts the legal clock, which ran out long ago.
    let settled = false;
    const started = app.app
      .get(DeadlinesService)
      .start({
        municipalityId: mun,
        caseId: c.id,
        key: 'decision',
        ruleKey,
        startedAt: new Date(now.getTime() - 40 * DAY),
      })
      .finally(() => (settled = true));
    // The clock's write either waits for the task's transaction or (the race) is done already.
    for (let i = 0; i < 400 && !settled; i++) {
      const [w] = (await ds.query(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
      )) as { n: number }[];
      if (w.n > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await runner.commitTransaction();
    await started;
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
  const [t] = (await app.app
    .get(TenantDb)
    .run(mun, (em) =>
      em.query(
        `SELECT legal_due_at IS NOT NULL AS legal, first_due_at < due_at AS first FROM tasks WHERE id = $1`,
        [taskId!],
      ),
    )) as { legal: boolean; first: boolean }[];
  expect(t).toEqual({ legal: true, first: true });
});
