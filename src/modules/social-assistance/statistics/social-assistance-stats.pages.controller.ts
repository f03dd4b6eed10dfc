import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../../../platform/auth/access.decorators';
import { I18nService, type Lang } from '../../../platform/i18n/i18n.service';
import { formatMoney } from '../../../web/money';
import { EURO_FORMAT, tableCsv, tablesXlsx, type Cell } from '../../../web/spreadsheet';
import { staffOf } from '../../../workspace/page-support';
import { viewErrors, type ViewErrors } from '../../residence/residence.view-errors';
import { AWARD_BENEFITS, AWARD_STATUSES } from '../awards/award.entity';
import { SOCIAL_ASSISTANCE_STAFF } from '../social-assistance.access';
import { SocialAssistanceCalculatorService } from '../social-assistance-calculator.service';
import {
  SocialAssistanceStatsService as Stats,
  type BenefitRow,
  type RecipientsRow,
  type ReportFigures,
  type ReportPeriod,
  type StatsRange,
} from './social-assistance-stats.service';

const LOCALE: Record<Lang, string> = { lv: 'lv-LV', en: 'en-GB', el: 'el-GR' };
const COLORS = { needy: '#d4351c', 'low-income': '#f47738', gmi: '#1d70b8', housing: '#00703c' };
const euros = (cents: number): number => cents / 100;

type ExportFormat = 'csv' | 'xlsx';
const CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Sends an export as a download named `<name>.<format>`. */
function sendFile(res: Response, name: string, format: ExportFormat, body: string | Buffer): void {
  res.setHeader('Content-Type', CONTENT_TYPE[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`);
  res.send(body);
}

interface Figures {
  recipients: RecipientsRow[];
  benefits: BenefitRow[];
}

/**
 * Social-assistance statistics (issue 15 item 10): recipients and amounts per month by status,
 * benefit and territory (page with charts and tables, CSV and XLSX), and the ministry's periodic
 * report as an export. Aggregates only: no personal data is shown, so nothing is audited.
 */
@Controller('workspace/social-assistance')
@Roles(...SOCIAL_ASSISTANCE_STAFF)
export class SocialAssistanceStatsPagesController {
  constructor(
    private readonly stats: Stats,
    private readonly calculator: SocialAssistanceCalculatorService,
    private readonly i18n: I18nService,
  ) {}

  @Get('statistics')
  async page(
    @Req() req: Request,
    @Res() res: Response,
    @Query() q: Record<string, unknown>,
  ): Promise<void> {
    const municipalityId = await this.offered(req);
    const range = await this.range(req, res, q, municipalityId);
    if (!range) return;
    const figures = await this.figures(municipalityId, range);
    this.render(req, res, q, range, figures, { errors: [], fieldErrors: {} });
  }

  @Get('statistics/export.csv')
  csv(@Req() req: Request, @Res() res: Response, @Query() q: Record<string, unknown>) {
    return this.exportFigures(req, res, q, 'csv');
  }

  @Get('statistics/export.xlsx')
  xlsx(@Req() req: Request, @Res() res: Response, @Query() q: Record<string, unknown>) {
    return this.exportFigures(req, res, q, 'xlsx');
  }

  @Get('statistics/report.xlsx')
  reportXlsx(@Req() req: Request, @Res() res: Response, @Query() q: Record<string, unknown>) {
    return this.exportReport(req, res, q, 'xlsx');
  }

  @Get('statistics/report.csv')
  reportCsv(@Req() req: Request, @Res() res: Response, @Query() q: Record<string, unknown>) {
    return this.exportReport(req, res, q, 'csv');
  }

  /** The page's figures as one CSV table or an XLSX workbook of two sheets. */
  private async exportFigures(
    req: Request,
    res: Response,
    q: Record<string, unknown>,
    format: ExportFormat,
  ): Promise<void> {
    const municipalityId = await this.offered(req);
    const range = await this.range(req, res, q, municipalityId);
    if (!range) return;
    const { headers, recipients, benefits } = this.exportTables(
      req.lang,
      await this.figures(municipalityId, range),
    );
    const t = (k: string) => this.i18n.t(req.lang, `social-assistance:statistics.${k}`);
    const preamble = [
      t('title'),
      `${t('from')}: ${range.from}  ${t('to')}: ${range.to}`,
      t('amountsNote'),
    ];
    const money = { 6: EURO_FORMAT, 7: EURO_FORMAT };
    sendFile(
      res,
      `social-assistance-statistics-${range.from}-${range.to}`,
      format,
      format === 'csv'
        ? tableCsv(
            [t('column.table'), ...headers],
            [
              ...recipients.map((r) => [t('recipients.title'), ...r]),
              ...benefits.map((r) => [t('benefits.title'), ...r]),
            ],
          )
        : await tablesXlsx([
            { name: t('recipients.title'), headers, rows: recipients, preamble, numFmt: money },
            { name: t('benefits.title'), headers, rows: benefits, preamble, numFmt: money },
          ]),
    );
  }

  /** The ministry's periodic report as CSV or XLSX. */
  private async exportReport(
    req: Request,
    res: Response,
    q: Record<string, unknown>,
    format: ExportFormat,
  ): Promise<void> {
    const report = await this.report(req, res, q);
    if (!report) return;
    const { period, headers, rows, preamble } = report;
    sendFile(
      res,
      `social-assistance-report-${period.key}`,
      format,
      format === 'csv'
        ? tableCsv(headers, rows)
        : await tablesXlsx([{ name: period.key, headers, rows, preamble }]),
    );
  }

  private async offered(req: Request): Promise<string> {
    const { municipalityId } = staffOf(req);
    await this.calculator.assertOffered(municipalityId);
    return municipalityId;
  }

  /** The validated range, or null when the page was answered with its field errors (422). */
  private async range(
    req: Request,
    res: Response,
    q: Record<string, unknown>,
    municipalityId: string,
  ): Promise<StatsRange | null> {
    try {
      return Stats.parseRange(q, await this.stats.currentMonth(municipalityId));
    } catch (e) {
      res.status(422);
      this.render(req, res, q, null, null, viewErrors(this.i18n, req.lang, e));
      return null;
    }
  }

  private async figures(municipalityId: string, range: StatsRange): Promise<Figures> {
    const [recipients, benefits] = await Promise.all([
      this.stats.recipients(municipalityId, range),
      this.stats.benefits(municipalityId, range),
    ]);
    return { recipients, benefits };
  }

  private async report(
    req: Request,
    res: Response,
    q: Record<string, unknown>,
  ): Promise<{
    period: ReportPeriod;
    headers: string[];
    rows: Cell[][];
    preamble: string[];
  } | null> {
    const municipalityId = await this.offered(req);
    let period: ReportPeriod;
    try {
      period = Stats.parseReportPeriod(q);
    } catch (e) {
      const errs = viewErrors(this.i18n, req.lang, e);
      res.status(422);
      this.render(req, res, q, null, null, errs);
      return null;
    }
    const figures = await this.stats.report(municipalityId, period);
    const name = await this.stats.municipalityName(municipalityId);
    const t = (k: string, v: Record<string, unknown> = {}) =>
      this.i18n.t(req.lang, `social-assistance:statistics.report.${k}`, v);
    return {
      period,
      headers: [t('number'), t('indicator'), t('unitColumn'), t('value')],
      rows: reportRows(figures, t),
      preamble: [
        t('formTitle'),
        t('basis'),
        `${t('respondent')}: ${name}`,
        `${t('period')}: ${period.key} (${period.first} – ${period.last})`,
        t('unverified'),
      ],
    };
  }

  private exportTables(
    lang: Lang,
    f: Figures,
  ): { headers: string[]; recipients: Cell[][]; benefits: Cell[][] } {
    const t = (k: string) => this.i18n.t(lang, `social-assistance:statistics.${k}`);
    const all = t('all');
    const status = (s: string | null) => (s === null ? all : t(`status.${s}`));
    const territory = (v: string | null) => (v === null ? all : v || t('noTerritory'));
    return {
      headers: [
        t('column.month'),
        t('column.status'),
        t('column.territory'),
        t('column.benefit'),
        t('column.households'),
        t('column.persons'),
        t('column.scheduledEur'),
        t('column.paidEur'),
      ],
      recipients: f.recipients.map((r) => [
        r.month,
        status(r.status),
        territory(r.territory),
        t('anyBenefit'),
        r.households,
        r.persons,
        null,
        null,
      ]),
      benefits: f.benefits.map((r) => [
        r.month,
        status(r.status),
        territory(r.territory),
        t(`benefit.${r.benefit}`),
        r.households,
        r.persons,
        euros(r.scheduledCents),
        euros(r.paidCents),
      ]),
    };
  }

  private render(
    req: Request,
    res: Response,
    q: Record<string, unknown>,
    range: StatsRange | null,
    f: Figures | null,
    errs: ViewErrors,
  ): void {
    const lang = req.lang;
    const t = (k: string) => this.i18n.t(lang, `social-assistance:statistics.${k}`);
    const money = (c: number) => formatMoney(c, lang);
    const text = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : '');
    const form = {
      from: range?.from ?? text('from'),
      to: range?.to ?? text('to'),
      report: text('report') || (range ? `${range.to.slice(0, 4)}` : ''),
    };
    const query = range ? new URLSearchParams({ from: range.from, to: range.to }).toString() : '';
    const view: Record<string, unknown> = {
      title: t('title'),
      form,
      ...errs,
    };
    if (range && f) {
      const months = [
        ...new Set(f.recipients.map((r) => r.month).concat(f.benefits.map((r) => r.month))),
      ].sort();
      const rec = (m: string, s: string | null, terr: string | null = null) =>
        f.recipients.find((r) => r.month === m && r.status === s && r.territory === terr);
      const ben = (m: string, b: string, s: string | null = null, terr: string | null = null) =>
        f.benefits.find(
          (r) => r.month === m && r.benefit === b && r.status === s && r.territory === terr,
        );
      const households = months.map((m) => ({
        month: m,
        needyHouseholds: rec(m, 'needy')?.households ?? 0,
        needyPersons: rec(m, 'needy')?.persons ?? 0,
        lowIncomeHouseholds: rec(m, 'low-income')?.households ?? 0,
        lowIncomePersons: rec(m, 'low-income')?.persons ?? 0,
        households: rec(m, null)?.households ?? 0,
        persons: rec(m, null)?.persons ?? 0,
      }));
      const benefitRows = f.benefits
        .filter((r) => r.territory === null)
        .map((r) => ({
          month: r.month,
          benefit: t(`benefit.${r.benefit}`),
          status: r.status === null ? t('all') : t(`status.${r.status}`),
          total: r.status === null,
          households: r.households,
          persons: r.persons,
          scheduled: money(r.scheduledCents),
          paid: money(r.paidCents),
        }));
      const territories = [
        ...new Set(
          f.recipients
            .map((r) => r.territory)
            .concat(f.benefits.map((r) => r.territory))
            .filter((x): x is string => x !== null),
        ),
      ].sort();
      const territoryRows = months.flatMap((m) =>
        territories
          .filter((terr) => rec(m, null, terr) || AWARD_BENEFITS.some((b) => ben(m, b, null, terr)))
          .map((terr) => ({
            month: m,
            territory: terr || t('noTerritory'),
            households: rec(m, null, terr)?.households ?? 0,
            persons: rec(m, null, terr)?.persons ?? 0,
            gmiScheduled: money(ben(m, 'gmi', null, terr)?.scheduledCents ?? 0),
            gmiPaid: money(ben(m, 'gmi', null, terr)?.paidCents ?? 0),
            housingScheduled: money(ben(m, 'housing', null, terr)?.scheduledCents ?? 0),
            housingPaid: money(ben(m, 'housing', null, terr)?.paidCents ?? 0),
          })),
      );
      Object.assign(view, {
        figures: true,
        households,
        benefitRows,
        territoryRows,
        householdsChart: JSON.stringify({
          type: 'bar',
          stacked: true,
          labels: months,
          datasets: AWARD_STATUSES.map((s) => ({
            label: t(`status.${s}`),
            data: households.map((h) =>
              s === 'needy' ? h.needyHouseholds : h.lowIncomeHouseholds,
            ),
            color: COLORS[s],
          })),
        }),
        amountsChart: JSON.stringify({
          type: 'bar',
          money: { locale: LOCALE[lang] },
          labels: months,
          datasets: AWARD_BENEFITS.flatMap((b) => [
            {
              label: `${t(`benefit.${b}`)}: ${t('column.scheduled')}`,
              data: months.map((m) => euros(ben(m, b)?.scheduledCents ?? 0)),
              color: COLORS[b],
              stack: b,
            },
            {
              label: `${t(`benefit.${b}`)}: ${t('column.paid')}`,
              data: months.map((m) => euros(ben(m, b)?.paidCents ?? 0)),
              color: '#505a5f',
              stack: `${b}-paid`,
            },
          ]),
        }),
        csvHref: `/workspace/social-assistance/statistics/export.csv?${query}`,
        xlsxHref: `/workspace/social-assistance/statistics/export.xlsx?${query}`,
      });
    }
    res.render('modules/social-assistance/statistics/views/statistics', view);
  }
}

/** The report's rows: number, indicator, unit, value (euros as numbers). */
function reportRows(
  f: ReportFigures,
  t: (k: string, v?: Record<string, unknown>) => string,
): Cell[][] {
  const rows: [string, string, number][] = [];
  for (const s of AWARD_STATUSES) {
    rows.push([t(`status.${s}.households`), t('unit.households'), f.status[s].households]);
    rows.push([t(`status.${s}.persons`), t('unit.persons'), f.status[s].persons]);
    rows.push([t(`status.${s}.grantedHouseholds`), t('unit.households'), f.granted[s].households]);
    rows.push([t(`status.${s}.grantedPersons`), t('unit.persons'), f.granted[s].persons]);
  }
  for (const b of AWARD_BENEFITS) {
    const x = f.benefits[b];
    rows.push([t(`benefit.${b}.households`), t('unit.households'), x.households]);
    rows.push([t(`benefit.${b}.persons`), t('unit.persons'), x.persons]);
    rows.push([t(`benefit.${b}.paid`), t('unit.eur'), euros(x.paidCents)]);
    rows.push([t(`benefit.${b}.scheduled`), t('unit.eur'), euros(x.scheduledCents)]);
  }
  return rows.map((r, i) => [i + 1, ...r]);
}
