import { Inject, Injectable } from '@nestjs/common';
import { CalendarService } from '../deadlines/calendar/calendar.service';
import { zonedInstant } from '../deadlines/calendar/time-zone';
import { DeadlineDashboardService } from '../deadlines/deadline-dashboard.service';
import { CLOCK, type Clock } from '../platform/clock/clock';
import { TenantDb } from '../platform/tenancy/tenant-db';

export interface DeadlineLine {
  deadlineId: string;
  caseId: string;
  caseNumber: string;
  caseTitle: string;
  basis: string;
  dueOn: string;
  ownerId: string | null;
  ownerName: string | null;
  daysOverdue?: number;
  workingDaysOverdue?: number;
}

export interface ManagerDashboard {
  today: string;
  byStage: { processKey: string; stage: string; count: number }[];
  dueThisWeek: DeadlineLine[];
  overdue: DeadlineLine[];
  workload: { accountId: string | null; name: string | null; open: number; overdue: number }[];
  weeks: { week: string; opened: number; closed: number }[];
}

const WEEKS = 12;

/** Figures for the manager dashboard; each comes with the filter of the list behind it. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly deadlines: DeadlineDashboardService,
    private readonly calendars: CalendarService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load(municipalityId: string, now = this.clock.now()): Promise<ManagerDashboard> {
    const d = await this.deadlines.dashboard(municipalityId, now);
    const { timeZone } = await this.calendars.forMunicipality(municipalityId);
    // Overdue as in the inbox (whose ?due=overdue the figures link to): the first of the task's
    // own due date and its case's legal deadline fell before today.
    const startOfToday = zonedInstant(d.today, timeZone);
    return this.tenantDb.run(municipalityId, async (em) => {
      const byStage = (await em.query(
        `SELECT process_key AS "processKey", stage, count(*)::int AS count FROM cases WHERE status = 'open' GROUP BY 1, 2 ORDER BY 1, 2`,
      )) as ManagerDashboard['byStage'];

      const caseIds = [...new Set([...d.dueThisWeek, ...d.overdue].map((x) => x.caseId))];
      const owners = caseIds.length
        ? ((await em.query(
            `SELECT c.id, c.number, c.title, t.assignee_id, a.display_name
               FROM cases c
               LEFT JOIN LATERAL (SELECT assignee_id FROM tasks WHERE case_id = c.id AND status IN ('open', 'claimed') ORDER BY first_due_at LIMIT 1) t ON true
               LEFT JOIN accounts a ON a.id = t.assignee_id
              WHERE c.id = ANY($1::uuid[])`,
            [caseIds.filter((x) => /^[0-9a-f-]{36}$/i.test(x))],
          )) as {
            id: string;
            number: string;
            title: string;
            assignee_id: string | null;
            display_name: string | null;
          }[])
        : [];
      const byCase = new Map(owners.map((o) => [o.id, o]));
      const line = (x: {
        id: string;
        caseId: string;
        basis: string;
        dueOn: string;
      }): DeadlineLine | null => {
        const o = byCase.get(x.caseId);
        if (!o) return null;
        return {
          deadlineId: x.id,
          caseId: x.caseId,
          caseNumber: o.number,
          caseTitle: o.title,
          basis: x.basis,
          dueOn: x.dueOn,
          ownerId: o.assignee_id,
          ownerName: o.display_name,
        };
      };

      const workload = (await em.query(
        `SELECT t.assignee_id AS "accountId", a.display_name AS name, count(*)::int AS open,
                count(*) FILTER (WHERE t.first_due_at < $1)::int AS overdue
           FROM tasks t LEFT JOIN accounts a ON a.id = t.assignee_id
          WHERE t.status IN ('open', 'claimed') GROUP BY 1, 2 ORDER BY open DESC`,
        [startOfToday],
      )) as ManagerDashboard['workload'];

      // The twelve weeks up to the dashboard's `now` (the app's clock, not the database's).
      const weeks = (await em.query(
        `WITH w AS (SELECT generate_series(date_trunc('week', $2::timestamptz AT TIME ZONE $1) - interval '${WEEKS - 1} weeks', date_trunc('week', $2::timestamptz AT TIME ZONE $1), interval '1 week') AS week),
              o AS (SELECT date_trunc('week', opened_at AT TIME ZONE $1) AS week, count(*)::int AS n FROM cases WHERE opened_at >= $2::timestamptz - interval '${WEEKS + 1} weeks' AND opened_at <= $2::timestamptz GROUP BY 1),
              c AS (SELECT date_trunc('week', closed_at AT TIME ZONE $1) AS week, count(*)::int AS n FROM cases WHERE closed_at >= $2::timestamptz - interval '${WEEKS + 1} weeks' AND closed_at <= $2::timestamptz GROUP BY 1)
         SELECT to_char(w.week, 'YYYY-MM-DD') AS week, COALESCE(o.n, 0) AS opened, COALESCE(c.n, 0) AS closed
           FROM w LEFT JOIN o ON o.week = w.week LEFT JOIN c ON c.week = w.week ORDER BY w.week`,
        [timeZone, now],
      )) as ManagerDashboard['weeks'];

      return {
        today: d.today,
        byStage,
        dueThisWeek: d.dueThisWeek.map(line).filter((x): x is DeadlineLine => !!x),
        overdue: d.overdue
          .map((x): DeadlineLine | null => {
            const l = line(x);
            return l
              ? { ...l, daysOverdue: x.daysOverdue, workingDaysOverdue: x.workingDaysOverdue }
              : null;
          })
          .filter((x): x is DeadlineLine => !!x),
        workload,
        weeks,
      };
    });
  }
}
