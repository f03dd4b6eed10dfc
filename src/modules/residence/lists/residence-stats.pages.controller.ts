import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { tableCsv } from '../../../web/spreadsheet';
import { Roles } from '../../../platform/auth/access.decorators';
import { I18nService } from '../../../platform/i18n/i18n.service';
import { viewErrors } from '../residence.view-errors';
import { ResidenceStatsService } from './residence-stats.service';

/** Statistics: table (always), chart (with JS), CSV export. */
@Controller('workspace/residence/statistics')
@Roles({ role: 'caseworker', process: 'residence-declaration' }, 'manager')
export class ResidenceStatsPagesController {
  constructor(
    private readonly stats: ResidenceStatsService,
    private readonly i18n: I18nService,
  ) {}

  @Get()
  async page(
    @Req() req: Request,
    @Res() res: Response,
    @Query() q: Record<string, unknown>,
  ): Promise<void> {
    const title = this.i18n.t(req.lang, 'residence:stats.title');
    try {
      const { period, from, to } = this.stats.parse(
        q,
        await this.stats.currentYear(req.user!.municipalityId!),
      );
      const rows = await this.stats.table(req.user!.municipalityId!, period, from, to);
      const chart = ResidenceStatsService.chart(rows);
      res.render('modules/residence/views/statistics', {
        title,
        form: { period, from, to },
        monthly: period === 'month',
        rows,
        totals: {
          registered: chart.registered.reduce((a, b) => a + b, 0),
          annulled: chart.annulled.reduce((a, b) => a + b, 0),
        },
        chartData: JSON.stringify({
          type: 'bar',
          labels: chart.labels,
          datasets: [
            {
              label: this.i18n.t(req.lang, 'residence:stats.registered'),
              data: chart.registered,
              color: '#1d70b8',
            },
            {
              label: this.i18n.t(req.lang, 'residence:stats.annulled'),
              data: chart.annulled,
              color: '#d4351c',
            },
          ],
        }),
        csvHref: `/workspace/residence/statistics/export.csv?${new URLSearchParams({ period, from, to }).toString()}`,
        errors: [],
        fieldErrors: {},
      });
    } catch (e) {
      res.status(422).render('modules/residence/views/statistics', {
        title,
        form: q,
        rows: [],
        ...viewErrors(this.i18n, req.lang, e),
      });
    }
  }

  @Get('export.csv')
  async csv(
    @Req() req: Request,
    @Res() res: Response,
    @Query() q: Record<string, unknown>,
  ): Promise<void> {
    const { period, from, to } = this.stats.parse(
      q,
      await this.stats.currentYear(req.user!.municipalityId!),
    );
    const rows = await this.stats.table(req.user!.municipalityId!, period, from, to);
    const t = (k: string) => this.i18n.t(req.lang, `residence:stats.${k}`);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="residence-statistics.csv"');
    res.send(
      tableCsv(
        [t('period'), t('territory'), t('registered'), t('annulled')],
        rows.map((r) => [r.period, r.territory, r.registered, r.annulled]),
      ),
    );
  }
}
