import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from './residence-list.export';
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
          ...chart,
          registeredLabel: this.i18n.t(req.lang, 'residence:stats.registered'),
          annulledLabel: this.i18n.t(req.lang, 'residence:stats.annulled'),
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
      stringify(
        rows.map((r) => [r.period, spreadsheetSafe(r.territory), r.registered, r.annulled]),
        {
          header: true,
          bom: true,
          columns: [t('period'), t('territory'), t('registered'), t('annulled')],
        },
      ),
    );
  }
}
