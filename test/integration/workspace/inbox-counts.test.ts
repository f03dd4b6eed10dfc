import { randomUUID } from 'node:crypto';
import { CalendarService } from '../../../src/deadlines/calendar/calendar.service';
import { localDate } from '../../../src/deadlines/calendar/time-zone';
import { addDays, weekday } from '../../../src/deadlines/calendar/working-days';
import { AccountsService, type Grant } from '../../../src/platform/accounts/accounts.service';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import {
  InboxService,
  PAGE_SIZE,
  type InboxFilters,
  type InboxRow,
  type InboxUser,
} from '../../../src/workspace/inbox.service';
import { startApp, type RunningApp } from '../../support/app';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(120_000);

/**
 * The counts and facets come from a cached grouping, the list from its own query: for every kind
 * of user and every filter, the counts must say exactly what paging through the list shows.
 */
let app: RunningApp;
let mun: string;
const users: Record<string, InboxUser> = {};

const ROLES = ['caseworker', 'caseworker', 'deputy', 'manager'];
const PROCESSES = ['reference', 'residence-declaration', 'residence-annulment'];
const STAGES = ['review', 'opened', 'registry-check', 'decided'];

beforeAll(async () => {
  app = await startApp({ ENGINE_EXECUTOR_ID: `ic-${randomUUID().slice(0, 8)}` });
  mun = (await createMunicipality(app.app)).id;
  const accounts = app.app.get(AccountsService);
  const make = async (name: string, grants: Grant[]) => {
    const acc = await accounts.createStaff({
      username: `ic.${name}.${randomUUID().slice(0, 6)}`,
      displayName: name,
      password: 'ic-password-123456',
    });
    for (const g of grants) await accounts.grant(acc.id, mun, g.role, g.processKey);
    users[name] = {
      accountId: acc.id,
      municipalityId: mun,
      roles: [...new Set(grants.map((g) => g.role as string))],
      grants,
    };
  };
  await make('wide', [{ role: 'caseworker', processKey: null }]);
  await make('bound', [{ role: 'caseworker', processKey: 'residence-declaration' }]);
  await make('deputy', [{ role: 'deputy', processKey: null }]);
  await make('manager', [{ role: 'manager', processKey: null }]);
  const staff = Object.values(users).map((u) => u.accountId);
  // 260 open tasks over every combination, due from 12 days ago to 12 days ahead, some assigned to
  // each user (also outside their roles, which makes them visible to that user), some closed.
  await app.app.get(TenantDb).run(mun, async (em) => {
    await em.query(
      `WITH c AS (
         INSERT INTO cases (municipality_id, number, process_key, process_version, status, stage, title, opened_at)
         SELECT $1, 'IC-' || g, ($2::text[])[1 + g % 3], 1, 'open', ($3::text[])[1 + (g / 3) % 4], 'Counts ' || g, now() - (g % 17) * interval '1 day'
           FROM generate_series(0, 299) g RETURNING id, number)
       INSERT INTO tasks (municipality_id, case_id, step, process_key, role, form_key, title, assignee_id, status, due_at)
       SELECT $1, c.id, 'review', ($2::text[])[1 + n % 3], ($4::text[])[1 + (n / 7) % 4], 'reference.review', 'Review',
              CASE WHEN n % 5 = 0 THEN ($5::uuid[])[1 + (n / 5) % 4] END,
              CASE WHEN n % 13 = 0 THEN 'completed' WHEN n % 5 = 0 THEN 'claimed' ELSE 'open' END,
              now() + ((n % 25) - 12) * interval '1 day' + (n % 24) * interval '1 hour'
         FROM (SELECT id, substring(number from 4)::int AS n FROM c) c`,
      [mun, PROCESSES, STAGES, ROLES, staff],
    );
  });
});
afterAll(() => app?.close());

async function everyRow(
  user: InboxUser,
  f: InboxFilters,
): Promise<{ rows: InboxRow[]; first: Awaited<ReturnType<InboxService['page']>> }> {
  const inbox = app.app.get(InboxService);
  const first = await inbox.page(user, f);
  const rows = [...first.rows];
  for (let page = 2; page <= first.pages; page++)
    rows.push(...(await inbox.page(user, { ...f, page })).rows);
  return { rows, first };
}

it('counts exactly what the list lists, for every kind of user and filter', async () => {
  const { timeZone } = await app.app.get(CalendarService).forMunicipality(mun);
  const today = localDate(new Date(), timeZone);
  const nextMonday = addDays(today, ((7 - weekday(today)) % 7) + 1);
  const filters: InboxFilters[] = [{}];
  for (const process of PROCESSES) filters.push({ process });
  for (const stage of [...STAGES, 'nowhere']) filters.push({ stage });
  for (const due of ['overdue', 'today', 'week'] as const)
    filters.push({ due }, { due, assignee: 'me' });
  filters.push(
    { assignee: 'me' },
    { assignee: 'unassigned' },
    { assignee: users.deputy.accountId.toUpperCase() },
  );
  filters.push({
    process: 'residence-declaration',
    stage: 'review',
    due: 'week',
    assignee: 'unassigned',
  });
  let compared = 0;
  for (const [name, user] of Object.entries(users)) {
    for (const f of filters) {
      const { rows, first } = await everyRow(user, f);
      const label = `${name} ${JSON.stringify(f)}`;
      const listed = {
        total: rows.length,
        mine: rows.filter((r) => r.assigneeId === user.accountId).length,
        unassigned: rows.filter((r) => r.assigneeId === null).length,
        overdue: rows.filter((r) => r.due.overdue).length,
        dueThisWeek: rows.filter((r) => r.due.dueOn < nextMonday).length,
      };
      expect({ label, counts: first.counts }).toEqual({ label, counts: listed });
      expect(new Set(rows.map((r) => r.taskId)).size).toBe(rows.length);
      if (f.stage) expect(rows.every((r) => r.stage === f.stage)).toBe(true);
      compared += rows.length;
    }
    const facets = (await app.app.get(InboxService).page(user, {})).facets;
    const all = (await everyRow(user, {})).rows;
    for (const s of facets.stages)
      expect([name, s.key, s.count]).toEqual([
        name,
        s.key,
        all.filter((r) => r.stage === s.key).length,
      ]);
    for (const p of facets.processes)
      expect([name, p.key, p.count]).toEqual([
        name,
        p.key,
        all.filter((r) => r.processKey === p.key).length,
      ]);
  }
  // The fixture is large enough to page (PAGE_SIZE rows a page) and the filters are not all empty.
  expect(compared).toBeGreaterThan(10 * PAGE_SIZE);
});
