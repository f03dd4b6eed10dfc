import { pageNumber } from '../web/form-values';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CalendarService } from '../deadlines/calendar/calendar.service';
import { PROCESSES } from '../../workflows';
import { Roles } from '../platform/auth/access.decorators';
import { readableProcesses } from '../platform/auth/case-access';
import { I18nService } from '../platform/i18n/i18n.service';
import {
  CASE_PAGE,
  CaseListService,
  CSV_MAX,
  toCsv,
  type CaseListFilters,
} from './case-list.service';
import { DashboardService } from './dashboard.service';
import { render, staffNav, staffOf } from './page-support';

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length < 100 ? v : undefined;
const STATUSES = ['open', 'closed', 'cancelled'] as const;

/** The manager dashboard and the case lists behind its figures (HTML and CSV). */
@Controller('workspace')
export class DashboardPagesController {
  constructor(
    private readonly i18n: I18nService,
    private readonly dashboard: DashboardService,
    private readonly caseList: CaseListService,
    private readonly calendars: CalendarService,
  ) {}

  @Get('dashboard')
  @Roles('manager')
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = staffOf(req);
    const d = await this.dashboard.load(user.municipalityId);
    const label = (k: string) => this.i18n.t(req.lang, `workspace:dashboard.${k}`);
    render(res, 'workspace/views/dashboard', {
      title: label('title'),
      nav: staffNav(this.i18n, req, 'dashboard'),
      d,
      totals: {
        open: d.byStage.reduce((n, r) => n + r.count, 0),
        overdue: d.overdue.length,
        week: d.dueThisWeek.length,
      },
      chart: JSON.stringify({
        weeks: d.weeks.map((w) => w.week),
        opened: d.weeks.map((w) => w.opened),
        closed: d.weeks.map((w) => w.closed),
        labels: { opened: label('opened'), closed: label('closed') },
      }),
    });
  }

  @Get('cases')
  // Administrators do not read case files (issue 12 H1): the list is for those who handle cases.
  @Roles('manager', 'caseworker')
  async cases(
    @Req() req: Request,
    @Res() res: Response,
    @Query() q: Record<string, unknown>,
  ): Promise<void> {
    const user = staffOf(req);
    const f: CaseListFilters = {
      process: str(q.process),
      stage: str(q.stage),
      status: STATUSES.find((s) => s === q.status),
      openedWeek: str(q.openedWeek),
      closedWeek: str(q.closedWeek),
      overdue: q.overdue === '1',
      page: pageNumber(q.page),
      readable: readableProcesses(user, [...new Set(PROCESSES.map((x) => x.key))]),
    };
    const { timeZone } = await this.calendars.forMunicipality(user.municipalityId);
    const query = new URLSearchParams(
      Object.entries({ ...f, overdue: f.overdue ? '1' : undefined, page: undefined }).filter(
        ([, v]) => typeof v === 'string',
      ) as [string, string][],
    ).toString();
    if (q.format === 'csv') {
      const { rows } = await this.caseList.list(
        user.municipalityId,
        { ...f, page: 1 },
        timeZone,
        CSV_MAX,
      );
      const csv = toCsv(
        ['number', 'title', 'process', 'stage', 'status', 'opened_at', 'closed_at', 'due_on'],
        rows.map((r) => [
          r.number,
          this.i18n.label(req.lang, r.title),
          r.processKey,
          r.stage,
          r.status,
          r.openedAt.toISOString(),
          r.closedAt?.toISOString() ?? null,
          r.dueOn,
        ]),
      );
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="cases.csv"');
      res.send(`\uFEFF${csv}`);
      return;
    }
    const { rows, total } = await this.caseList.list(user.municipalityId, f, timeZone);
    const page = f.page ?? 1;
    const pages = Math.max(1, Math.ceil(total / CASE_PAGE));
    render(res, 'workspace/views/cases', {
      title: this.i18n.t(req.lang, 'workspace:cases.title'),
      nav: staffNav(this.i18n, req, user.roles.includes('manager') ? 'dashboard' : 'inbox'),
      rows,
      total,
      f,
      query,
      page,
      pages,
      prev: page > 1 ? page - 1 : null,
      next: page < pages ? page + 1 : null,
    });
  }
}
