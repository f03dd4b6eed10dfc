import { Inject, Injectable } from '@nestjs/common';
import { localDate } from '../deadlines/calendar/time-zone';
import { CLOCK, type Clock } from '../platform/clock/clock';
import { TenantDb } from '../platform/tenancy/tenant-db';

export interface CaseListFilters {
  process?: string;
  /** Only cases of these processes (null or absent: every process). */
  readable?: string[] | null;
  stage?: string;
  status?: 'open' | 'closed' | 'cancelled';
  /** Monday (YYYY-MM-DD) of the week cases were opened / closed in. */
  openedWeek?: string;
  closedWeek?: string;
  /** Only cases whose running (or missed) legal deadline has passed, as on the dashboard. */
  overdue?: boolean;
  page?: number;
}

export interface CaseListRow {
  id: string;
  number: string;
  title: string;
  processKey: string;
  stage: string;
  status: string;
  openedAt: Date;
  closedAt: Date | null;
  dueOn: string | null;
}

const WEEK = /^\d{4}-\d{2}-\d{2}$/;
export const CASE_PAGE = 50;
export const CSV_MAX = 10_000;

/** The list behind each dashboard figure, on screen and as CSV. */
@Injectable()
export class CaseListService {
  constructor(
    private readonly tenantDb: TenantDb,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(
    municipalityId: string,
    f: CaseListFilters,
    timeZone: string,
    limit = CASE_PAGE,
  ): Promise<{ rows: CaseListRow[]; total: number }> {
    const p: unknown[] = [];
    // The zone is bound only when a filter uses it: PostgreSQL refuses a parameter the statement never reads.
    let tzIndex: number | undefined;
    const tz = (): string => `$${(tzIndex ??= p.push(timeZone))}`;
    const where: string[] = ['true'];
    if (f.process) where.push(`c.process_key = $${p.push(f.process)}`);
    // The processes whose case files the user may read (the access policy); null: all (managers).
    if (f.readable) where.push(`c.process_key = ANY($${p.push(f.readable)}::text[])`);
    if (f.stage) where.push(`c.stage = $${p.push(f.stage)}`);
    if (f.status) where.push(`c.status = $${p.push(f.status)}`);
    if (f.openedWeek && WEEK.test(f.openedWeek))
      where.push(
        `date_trunc('week', c.opened_at AT TIME ZONE ${tz()}) = $${p.push(f.openedWeek)}::timestamp`,
      );
    if (f.closedWeek && WEEK.test(f.closedWeek))
      where.push(
        `date_trunc('week', c.closed_at AT TIME ZONE ${tz()}) = $${p.push(f.closedWeek)}::timestamp`,
      );
    if (f.overdue)
      where.push(`d.overdue_on < $${p.push(localDate(this.clock.now(), timeZone))}::date`);
    const offset = (Math.max(1, f.page ?? 1) - 1) * limit;
    return this.tenantDb.run(
      municipalityId,
      async (em) => {
        const from = `FROM (SELECT *, id::text AS case_key FROM cases) c LEFT JOIN LATERAL (SELECT min(due_on) AS due_on, min(due_on) FILTER (WHERE status <> 'paused') AS overdue_on FROM deadlines dl WHERE dl.case_id = c.case_key AND dl.status IN ('running', 'paused', 'missed')) d ON true WHERE ${where.join(' AND ')}`;
        const [{ total }] = (await em.query(`SELECT count(*)::int AS total ${from}`, p)) as [
          { total: number },
        ];
        const rows = (await em.query(
          `SELECT c.id, c.number, c.title, c.process_key AS "processKey", c.stage, c.status, c.opened_at AS "openedAt", c.closed_at AS "closedAt", to_char(d.due_on, 'YYYY-MM-DD') AS "dueOn"
         ${from} ORDER BY c.opened_at DESC, c.id LIMIT ${limit} OFFSET ${offset}`,
          p,
        )) as CaseListRow[];
        return { rows, total };
      },
      { jit: false },
    );
  }
}

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null): string => {
    let s = v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
