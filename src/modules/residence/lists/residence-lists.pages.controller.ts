import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../../../platform/auth/access.decorators';
import { DomainError } from '../../../platform/errors/domain-error';
import { I18nService } from '../../../platform/i18n/i18n.service';
import { auditRequestContext } from '../../../platform/audit/request-context';
import { PersonalCodePolicy } from '../../../persons/personal-code-policy';
import { viewErrors, type ViewErrors } from '../residence.view-errors';
import { exportColumns, writeCsv, writeXlsx } from './residence-list.export';
import {
  LIST_KINDS,
  STATUSES_BY_KIND,
  filterToQuery,
  parseFilter,
  type ListKind,
} from './residence-list.filter';
import type { ListRow } from './residence-list.queries';
import { ResidenceListsService, assertKind, type ListViewer } from './residence-lists.service';

const viewer = (req: Request): ListViewer => ({
  accountId: req.user!.accountId,
  municipalityId: req.user!.municipalityId!,
  display: req.user!.displayName,
  codes: PersonalCodePolicy.for(req.user),
  ...auditRequestContext(req),
});

/** Lists of persons, declarations and large families: filters, pages, saved filters, CSV/XLSX export. */
/**
 * The `after` cursor of a list page, or null (first page) when it is not one this list hands out:
 * declarations page by their UUID, the register lists by a residence row number (a bigint).
 */
function pageKey(kind: ListKind, value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (kind === 'declarations') return /^[0-9a-f-]{36}$/i.test(value) ? value : null;
  return /^\d{1,18}$/.test(value) ? value : null;
}

@Controller('workspace/residence/lists')
@Roles({ role: 'caseworker', process: 'residence-declaration' }, 'manager')
export class ResidenceListsPagesController {
  constructor(
    private readonly lists: ResidenceListsService,
    private readonly i18n: I18nService,
  ) {}

  @Get()
  index(@Res() res: Response): void {
    res.redirect(303, '/workspace/residence/lists/persons');
  }

  @Get(':kind')
  async list(
    @Req() req: Request,
    @Res() res: Response,
    @Param('kind') kindParam: string,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    await this.render(req, res, assertKind(kindParam), query);
  }

  /** The list page; after a refused save, with the save form's error and the name typed. */
  private async render(
    req: Request,
    res: Response,
    kind: ListKind,
    query: Record<string, unknown>,
    saveErrors: ViewErrors | null = null,
    saveName = '',
  ): Promise<void> {
    const { filter, errors } = parseFilter(query, kind);
    const v = viewer(req);
    const after = pageKey(kind, query.after);
    const page = errors.length
      ? { rows: [], next: null }
      : await this.lists.page(v, kind, filter, after);
    const qs = new URLSearchParams(filterToQuery(filter)).toString();
    const errs =
      saveErrors ??
      (errors.length
        ? viewErrors(this.i18n, req.lang, DomainError.validation(errors))
        : { errors: [], fieldErrors: {} });
    if (errs.errors.length) res.status(422);
    res.render('modules/residence/views/lists', {
      title: this.i18n.t(req.lang, `residence:lists.kind.${kind}`),
      kind,
      kinds: LIST_KINDS.map((k) => ({
        value: k,
        label: this.i18n.t(req.lang, `residence:lists.kind.${k}`),
        current: k === kind,
      })),
      statuses: STATUSES_BY_KIND[kind].map((s) => ({
        value: s,
        label: this.i18n.t(req.lang, `residence:lists.status.${s}`),
        selected: s === filter.status,
      })),
      form: query,
      declarations: kind === 'declarations',
      rows: page.rows.map((r) => this.labelled(req, r)),
      nextHref: page.next
        ? `/workspace/residence/lists/${kind}?${qs}${qs ? '&' : ''}after=${page.next}`
        : null,
      csvHref: `/workspace/residence/lists/${kind}/export.csv${qs ? `?${qs}` : ''}`,
      xlsxHref: `/workspace/residence/lists/${kind}/export.xlsx${qs ? `?${qs}` : ''}`,
      saved: (await this.lists.saved(v)).map((s) => ({
        name: s.name,
        href: `/workspace/residence/lists/${s.list}?${new URLSearchParams(s.filters).toString()}`,
      })),
      territoryMissing:
        kind !== 'declarations' && (await this.lists.territory(v.municipalityId)) === null,
      saveName,
      ...errs,
    });
  }

  @Post(':kind/saved')
  async save(
    @Req() req: Request,
    @Res() res: Response,
    @Param('kind') kindParam: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const kind = assertKind(kindParam);
    const name = typeof body.name === 'string' ? body.name : '';
    try {
      const saved = await this.lists.save(viewer(req), kind, name, body);
      res.redirect(
        303,
        `/workspace/residence/lists/${kind}?${new URLSearchParams(saved.filters).toString()}`,
      );
    } catch (e) {
      // The list again, with the filter kept and the reason next to the name (not an error page).
      const errs = viewErrors(this.i18n, req.lang, e);
      const { _csrf: _token, name: _name, ...filters } = body;
      await this.render(req, res, kind, filters, errs, name.slice(0, 200));
    }
  }

  @Get(':kind/export.csv')
  async csv(
    @Req() req: Request,
    @Res() res: Response,
    @Param('kind') kindParam: string,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const kind = assertKind(kindParam);
    const { filter, errors } = parseFilter(query, kind);
    if (errors.length) throw DomainError.validation(errors);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${kind}.csv"`);
    await writeCsv(
      res,
      exportColumns(kind),
      this.headers(req, kind),
      this.labelledStream(req, kind, filter),
    );
  }

  @Get(':kind/export.xlsx')
  async xlsx(
    @Req() req: Request,
    @Res() res: Response,
    @Param('kind') kindParam: string,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const kind = assertKind(kindParam);
    const { filter, errors } = parseFilter(query, kind);
    if (errors.length) throw DomainError.validation(errors);
    res.setHeader(
      'Content-Type',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    res.setHeader('Content-Disposition', `attachment; filename="${kind}.xlsx"`);
    await writeXlsx(
      res,
      kind,
      exportColumns(kind),
      this.headers(req, kind),
      this.labelledStream(req, kind, filter),
    );
  }

  private headers(req: Request, kind: ListKind): string[] {
    return exportColumns(kind).map((c) => this.i18n.t(req.lang, `residence:lists.column.${c}`));
  }

  /** A row as people read it: the status in the reader's language, not the stored code. */
  private labelled(req: Request, r: ListRow): ListRow {
    return { ...r, status: this.i18n.t(req.lang, `residence:lists.status.${r.status}`) };
  }

  private async *labelledStream(
    req: Request,
    kind: ListKind,
    filter: ReturnType<typeof parseFilter>['filter'],
  ): AsyncGenerator<ListRow[]> {
    for await (const batch of this.lists.stream(viewer(req), kind, filter))
      yield batch.map((r) => this.labelled(req, r));
  }
}
