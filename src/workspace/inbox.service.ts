import { Inject, Injectable, Logger } from '@nestjs/common';
import { PROCESSES } from '../../workflows';
import { grantProcessOf } from '../platform/auth/case-access';
import { CalendarService } from '../deadlines/calendar/calendar.service';
import { zonedInstant } from '../deadlines/calendar/time-zone';
import { addDays, weekday } from '../deadlines/calendar/working-days';
import type { Grant } from '../platform/accounts/accounts.service';
import { CLOCK, type Clock } from '../platform/clock/clock';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { dueDescriber, type DueInfo } from './working-days-left';
import { isUuid } from '../platform/ids';

export interface InboxUser {
  accountId: string;
  municipalityId: string;
  roles: string[];
  grants: Grant[];
}

export const INBOX_SORTS = ['due', '-due', 'opened', 'case'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];
export const DUE_FILTERS = ['overdue', 'today', 'week'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

export interface InboxFilters {
  process?: string;
  stage?: string;
  due?: DueFilter;
  /** 'me', 'unassigned', or an account id. */
  assignee?: string;
  sort?: InboxSort;
  page?: number;
}

export interface InboxRow {
  taskId: string;
  taskTitle: string;
  status: string;
  role: string;
  formKey: string;
  processKey: string;
  escalated: boolean;
  assigneeId: string | null;
  assigneeName: string | null;
  mine: boolean;
  caseId: string;
  caseNumber: string;
  caseTitle: string;
  stage: string;
  /**
   * Whichever comes first: the task's own due date or the case's running legal deadline. The tag,
   * the overdue count, the due filters and the sorting all go by it.
   */
  due: DueInfo;
  /** Which of the two `due` is: the law's term or the task's own target. */
  dueBy: 'legal' | 'task';
  /** The task's own due date (the process step's target), shown beside the legal one. */
  taskDue: DueInfo;
  /** The case's earliest legal clock (running, paused or missed) and its basis, when it has one. */
  legal: { basis: string; dueOn: string; status: string; due: DueInfo } | null;
}

export interface InboxPage {
  rows: InboxRow[];
  counts: { total: number; mine: number; unassigned: number; overdue: number; dueThisWeek: number };
  facets: { processes: { key: string; count: number }[]; stages: { key: string; count: number }[] };
  page: number;
  pages: number;
  today: string;
}

export const PAGE_SIZE = 50;

/** By due: the first of the task's own due time and its case's legal deadline (tasks.first_due_at). */
const ORDER: Record<InboxSort, string> = {
  due: 't.first_due_at ASC, t.id',
  '-due': 't.first_due_at DESC, t.id DESC',
  opened: 'c.opened_at DESC, c.id DESC, t.id',
  case: 'c.number ASC, t.id',
};

/** Processes a process-bound caseworker's grants cover (a residence grant covers its annulments too: grantProcessOf). */
function grantedProcesses(user: InboxUser): string[] {
  const granted = user.grants
    .filter((g) => g.role === 'caseworker' && g.processKey)
    .map((g) => g.processKey!);
  return [...new Set(PROCESSES.map((x) => x.key))].filter(
    (k) => granted.includes(k) || granted.includes(grantProcessOf(k)),
  );
}

/**
 * Shared WHERE for the visible set. Managers oversee the whole municipality (workload, overdue and
 * reassignment start from the inbox), so they see every task; RLS still confines them to their
 * tenant. Others see their roles' tasks (process-bound caseworkers: their processes) and their own.
 */
function visibility(user: InboxUser, p: unknown[]): string {
  if (user.roles.includes('manager')) return 'true';
  const wide = user.grants.filter((g) => g.processKey === null).map((g) => g.role as string);
  const procs = grantedProcesses(user);
  p.push(wide.length ? wide : ['']);
  const roles = `$${p.length}`;
  p.push(procs.length ? procs : ['']);
  const pr = `$${p.length}`;
  p.push(user.accountId);
  const me = `$${p.length}`;
  return `(t.role = ANY(${roles}::text[]) OR (t.role = 'caseworker' AND t.process_key = ANY(${pr}::text[])) OR t.assignee_id = ${me}::uuid)`;
}

/** Open tasks of a municipality grouped by everything the counts and facets filter on. */
interface TaskGroup {
  status: string;
  role: string;
  process: string;
  assignee: string | null;
  stage: string;
  /** 0 overdue (before today), 1 due today, 2 due later this week, 3 later or no due date. */
  bucket: 0 | 1 | 2 | 3;
  n: number;
}

/** The same rule as `visibility`, for a group: the counts must count exactly what the list lists. */
function visibleTo(user: InboxUser): (g: TaskGroup) => boolean {
  if (user.roles.includes('manager')) return () => true;
  const wide = new Set(
    user.grants.filter((x) => x.processKey === null).map((x) => x.role as string),
  );
  const procs = new Set(grantedProcesses(user));
  return (g) =>
    wide.has(g.role) ||
    (g.role === 'caseworker' && procs.has(g.process)) ||
    g.assignee === user.accountId;
}

/** Counts of the tasks matching the filters, from the groups. */
function countGroups(groups: TaskGroup[], user: InboxUser, f: InboxFilters): InboxPage['counts'] {
  const visible = visibleTo(user);
  const maxBucket = f.due === 'overdue' ? 0 : f.due === 'today' ? 1 : f.due === 'week' ? 2 : 3;
  const assignee =
    f.assignee === 'me'
      ? user.accountId
      : f.assignee === 'unassigned'
        ? null
        : f.assignee && isUuid(f.assignee)
          ? f.assignee.toLowerCase()
          : undefined;
  const counts = { total: 0, mine: 0, unassigned: 0, overdue: 0, dueThisWeek: 0 };
  for (const g of groups) {
    if (
      !visible(g) ||
      (f.process && g.process !== f.process) ||
      (f.stage && g.stage !== f.stage) ||
      g.bucket > maxBucket
    )
      continue;
    if (assignee !== undefined && g.assignee !== assignee) continue;
    counts.total += g.n;
    if (g.assignee === user.accountId) counts.mine += g.n;
    if (g.assignee === null) counts.unassigned += g.n;
    if (g.bucket === 0) counts.overdue += g.n;
    if (g.bucket <= 2) counts.dueThisWeek += g.n;
  }
  return counts;
}

/** Process and stage facets of the visible tasks (filters aside), from the groups. */
function facetGroups(groups: TaskGroup[], user: InboxUser): InboxPage['facets'] {
  const visible = visibleTo(user);
  const sum = (key: 'process' | 'stage') =>
    [
      ...groups
        .filter(visible)
        .reduce((m, g) => m.set(g[key], (m.get(g[key]) ?? 0) + g.n), new Map<string, number>()),
    ]
      .map(([k, count]) => ({ key: k, count }))
      .sort((a, b) => a.key.localeCompare(b.key));
  return { processes: sum('process'), stages: sum('stage') };
}

/**
 * Short-lived figures keyed by municipality first, so a command can drop its municipality's
 * entries. A fresh entry is served as it is; a stale one (up to 4 × ttl) is served while one
 * background load replaces it; a missing one is loaded, once per key however many requests ask
 * (twenty users whose counts expire together would otherwise run twenty scans at once).
 */
export class ShortCache<T> {
  private readonly rows = new Map<string, { at: number; value: T }>();
  private readonly loading = new Map<string, Promise<T>>();
  /** Bumped by dropMunicipality, so a load that began before it is not stored after it. */
  private readonly generations = new Map<string, number>();
  constructor(
    private readonly ttlMs: number,
    /** A failed background load: the stale value was served, the next request tries again. */
    private readonly onBackgroundError: (e: unknown) => void = () => undefined,
  ) {}

  get(key: string, load: () => Promise<T>, now: number): Promise<T> {
    const hit = this.rows.get(key);
    if (hit && now - hit.at < this.ttlMs) return Promise.resolve(hit.value);
    const loading = this.load(key, load, now);
    if (hit && now - hit.at < 4 * this.ttlMs) {
      loading.catch(this.onBackgroundError);
      return Promise.resolve(hit.value);
    }
    return loading;
  }

  private load(key: string, load: () => Promise<T>, now: number): Promise<T> {
    let p = this.loading.get(key);
    if (!p) {
      const municipalityId = key.slice(0, key.indexOf('|'));
      const generation = this.generations.get(municipalityId) ?? 0;
      p = load()
        .then((value) => {
          if ((this.generations.get(municipalityId) ?? 0) === generation) {
            if (this.rows.size > 2000) this.rows.clear();
            this.rows.set(key, { at: now, value });
          }
          return value;
        })
        .finally(() => {
          if (this.loading.get(key) === p) this.loading.delete(key);
        });
      this.loading.set(key, p);
    }
    return p;
  }

  dropMunicipality(municipalityId: string): void {
    this.generations.set(municipalityId, (this.generations.get(municipalityId) ?? 0) + 1);
    for (const k of this.rows.keys()) if (k.startsWith(`${municipalityId}|`)) this.rows.delete(k);
    for (const k of this.loading.keys())
      if (k.startsWith(`${municipalityId}|`)) this.loading.delete(k);
  }
}

/** The caseworker inbox: visible tasks with filters, sorting, counts and due dates in working days. */
@Injectable()
export class InboxService {
  private readonly logger = new Logger(InboxService.name);
  /**
   * Counts and facets come from one grouping of the municipality's open tasks, shared by all its
   * users and filters: they may lag up to 15 s (task commands here drop it at once), the list never does.
   */
  private readonly groupCache = new ShortCache<TaskGroup[]>(15_000, (e) =>
    this.logger.warn(
      `inbox counts could not be refreshed; the last ones stay in use: ${e instanceof Error ? e.message : String(e)}`,
    ),
  );

  /** After a task command in this instance: counts and facets are recomputed on the next page. */
  invalidate(municipalityId: string): void {
    this.groupCache.dropMunicipality(municipalityId);
  }

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly calendars: CalendarService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async page(user: InboxUser, f: InboxFilters, now = this.clock.now()): Promise<InboxPage> {
    const dues = await dueDescriber(this.calendars, user.municipalityId, now);
    const startOfToday = zonedInstant(dues.today, dues.timeZone);
    const startOfTomorrow = zonedInstant(addDays(dues.today, 1), dues.timeZone);
    const endOfWeek = zonedInstant(
      addDays(dues.today, ((7 - weekday(dues.today)) % 7) + 1),
      dues.timeZone,
    );
    const page = Math.max(1, Math.min(f.page ?? 1, 10_000));

    const p: unknown[] = [];
    const vis = visibility(user, p);
    const filters: string[] = [];
    if (f.process) filters.push(`t.process_key = $${p.push(f.process)}`);
    // As a semi-join, so the page can still walk the due-date index (probing each task's case) for a common stage.
    if (f.stage)
      filters.push(
        `EXISTS (SELECT 1 FROM cases sc WHERE sc.id = t.case_id AND sc.stage = $${p.push(f.stage)})`,
      );
    if (f.due === 'overdue') filters.push(`t.first_due_at < $${p.push(startOfToday)}`);
    if (f.due === 'today') filters.push(`t.first_due_at < $${p.push(startOfTomorrow)}`);
    if (f.due === 'week') filters.push(`t.first_due_at < $${p.push(endOfWeek)}`);
    if (f.assignee === 'me') filters.push(`t.assignee_id = $${p.push(user.accountId)}::uuid`);
    else if (f.assignee === 'unassigned') filters.push('t.assignee_id IS NULL');
    else if (f.assignee && isUuid(f.assignee))
      filters.push(`t.assignee_id = $${p.push(f.assignee)}::uuid`);
    const where = [`t.status IN ('open', 'claimed')`, vis, ...filters].join(' AND ');
    const whereFor = (status: string) => [`t.status = '${status}'`, vis, ...filters].join(' AND ');

    const mid = user.municipalityId;
    const groupsLoaded = this.groupCache.get(
      `${mid}|${dues.today}`,
      () =>
        this.tenantDb.run(
          mid,
          async (em) =>
            (await em.query(
              `SELECT t.status, t.role, t.process_key AS process, t.assignee_id AS assignee, c.stage,
                      CASE WHEN t.first_due_at < $1 THEN 0 WHEN t.first_due_at < $2 THEN 1 WHEN t.first_due_at < $3 THEN 2 ELSE 3 END AS bucket,
                      count(*)::int AS n
                 FROM tasks t JOIN cases c ON c.id = t.case_id
                WHERE t.status IN ('open', 'claimed')
                GROUP BY 1, 2, 3, 4, 5, 6`,
              [startOfToday, startOfTomorrow, endOfWeek],
            )) as TaskGroup[],
          { jit: false },
        ),
      now.getTime(),
    );
    const sort = f.sort && INBOX_SORTS.includes(f.sort) ? f.sort : 'due';
    const needsCase = sort === 'opened' || sort === 'case';
    const cols = `t.id, t.title, t.status, t.role, t.form_key, t.process_key, t.escalated_at, t.due_at, t.legal_due_at, t.first_due_at, t.assignee_id, t.case_id, t.case_id::text AS case_key`;
    const limit = `LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`;
    // By due date: one ordered index scan per status (municipality, status, first_due_at, id), merged; no sort of every visible task.
    const pageSql = needsCase
      ? `SELECT ${cols} FROM tasks t JOIN cases c ON c.id = t.case_id WHERE ${where} ORDER BY ${ORDER[sort]} ${limit}`
      : `SELECT * FROM (${['open', 'claimed']
          .map(
            (st) =>
              `(SELECT ${cols} FROM tasks t WHERE ${whereFor(st)} ORDER BY ${ORDER[sort]} LIMIT ${page * PAGE_SIZE})`,
          )
          .join(' UNION ALL ')}) t ORDER BY ${ORDER[sort]} ${limit}`;
    // The page is chosen first; the legal clock is then looked up for its 50 rows only, by the
    // case id as text (a cast inside the lateral join would keep RLS from using the index).
    // The groups (usually cached) and the page come from separate transactions, in parallel.
    const rowsLoaded = this.tenantDb.run(
      mid,
      async (em) =>
        (await em.query(
          `WITH page AS (${pageSql})
       SELECT page.*, c.number, c.title AS case_title, c.stage, c.opened_at,
              a.display_name AS assignee_name, d.basis, to_char(d.due_on, 'YYYY-MM-DD') AS legal_due_on, d.status AS legal_status
         FROM page
         JOIN cases c ON c.id = page.case_id
         LEFT JOIN accounts a ON a.id = page.assignee_id
         LEFT JOIN LATERAL (
           SELECT basis, due_on, status FROM deadlines dl
            WHERE dl.case_id = page.case_key AND dl.status IN ('running', 'paused', 'missed')
            ORDER BY dl.status = 'paused', dl.due_on LIMIT 1) d ON true
        ORDER BY ${ORDER[sort].replace(/\bt\./g, 'page.')}`,
          p,
        )) as Record<string, string | Date | null>[],
      { jit: false },
    );
    const [groups, rows] = await Promise.all([groupsLoaded, rowsLoaded]);
    const counts = countGroups(groups, user, f);

    return {
      rows: rows.map((r) => ({
        taskId: r.id as string,
        taskTitle: r.title as string,
        status: r.status as string,
        role: r.role as string,
        formKey: r.form_key as string,
        processKey: r.process_key as string,
        escalated: r.escalated_at !== null,
        assigneeId: r.assignee_id as string | null,
        assigneeName: r.assignee_name as string | null,
        mine: r.assignee_id === user.accountId,
        caseId: r.case_id as string,
        caseNumber: r.number as string,
        caseTitle: r.case_title as string,
        stage: r.stage as string,
        due: dues.describe(r.first_due_at as Date),
        dueBy: (r.first_due_at as Date).getTime() < (r.due_at as Date).getTime() ? 'legal' : 'task',
        taskDue: dues.describe(r.due_at as Date),
        legal: r.basis
          ? {
              basis: r.basis as string,
              dueOn: r.legal_due_on as string,
              status: r.legal_status as string,
              due: dues.describe(r.legal_due_on as string),
            }
          : null,
      })),
      counts,
      facets: facetGroups(groups, user),
      page,
      pages: Math.max(1, Math.ceil(counts.total / PAGE_SIZE)),
      today: dues.today,
    };
  }
}
