import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CalendarService } from '../deadlines/calendar/calendar.service';
import { TIME_ZONES } from '../deadlines/calendar/time-zone';
import {
  apiScopesOffered,
  type ApiClient,
  type ApiScope,
} from '../platform/api-clients/api-client.entity';
import { ApiClientsService } from '../platform/api-clients/api-clients.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AuditService } from '../platform/audit/audit.service';
import { recordAdminAction } from './admin-audit';
import { Roles } from '../platform/auth/access.decorators';
import { CLOCK, type Clock } from '../platform/clock/clock';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { I18nService } from '../platform/i18n/i18n.service';
import {
  fieldErrorsOf,
  flashFrom,
  render,
  staffNav,
  staffOf,
  type StaffUser,
} from '../workspace/page-support';

type Body = Record<string, unknown>;
const NS = 'admin:apiClients';

/**
 * The municipality's API clients (other municipal systems calling its machine APIs, e.g. the
 * social-assistance status API): list, create (the secret is shown once, on the answer to the
 * creating POST, and never stored), revoke after a confirmation. Only where a machine API is
 * offered (404 elsewhere); an administrator sees and changes only their municipality's clients.
 * Every change is audited with the administrator.
 */
@Controller('admin/api-clients')
@Roles('administrator')
export class ApiClientsPagesController {
  constructor(
    private readonly i18n: I18nService,
    private readonly clients: ApiClientsService,
    private readonly calendars: CalendarService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderList(req, res, {});
  }

  @Post()
  async create(@Req() req: Request, @Res() res: Response, @Body() body: Body): Promise<void> {
    const user = staffOf(req);
    const country = await this.country(user);
    let created: { client: ApiClient; secret: string };
    try {
      created = await this.clients.create({
        municipalityId: user.municipalityId,
        name: body.name,
        scopes: body.scopes,
        rateLimitPerMinute: body.rateLimitPerMinute,
        createdBy: user.accountId,
        offered: apiScopesOffered(country),
      });
    } catch (e) {
      const errors = fieldErrorsOf(this.i18n, req, e);
      if (!errors) throw e;
      const scopes = ([] as unknown[]).concat(body.scopes ?? []);
      return this.renderList(
        req,
        res,
        {
          errors,
          errorFor: Object.fromEntries(errors.map((x) => [x.field, x.text])),
          values: {
            name: typeof body.name === 'string' ? body.name : '',
            rateLimitPerMinute:
              typeof body.rateLimitPerMinute === 'string' ? body.rateLimitPerMinute : '',
            scopes: Object.fromEntries(scopes.map((x) => [String(x), true])),
          },
        },
        422,
      );
    }
    const { client, secret } = created;
    await this.record(user, 'admin.api_client_created', client.id, {
      clientId: client.clientId,
      name: client.name,
      scopes: client.scopes,
      rateLimitPerMinute: client.rateLimitPerMinute,
    });
    // The only time the secret leaves the server: not cached, not in a URL, not in the session.
    res.setHeader('Cache-Control', 'no-store');
    render(res, 'admin/views/api-client-created', {
      title: this.i18n.t(req.lang, `${NS}.createdTitle`),
      nav: staffNav(this.i18n, req, 'admin'),
      client: this.row(req, client, country),
      secret,
    });
  }

  @Get(':id/revoke')
  async confirmRevoke(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
  ): Promise<void> {
    const user = staffOf(req);
    const country = await this.country(user);
    const client = await this.clients.get(user.municipalityId, id);
    render(res, 'admin/views/api-client-revoke', {
      title: this.i18n.t(req.lang, `${NS}.revokeTitle`, { name: client.name }),
      nav: staffNav(this.i18n, req, 'admin'),
      client: this.row(req, client, country),
    });
  }

  @Post(':id/revoke')
  async revoke(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const user = staffOf(req);
    await this.country(user);
    const client = await this.clients.revoke(
      user.municipalityId,
      id,
      this.clock.now(),
      user.accountId,
    );
    await this.record(user, 'admin.api_client_revoked', client.id, {
      clientId: client.clientId,
      name: client.name,
    });
    res.redirect(303, '/admin/api-clients?done=apiClientRevoked');
  }

  private async renderList(
    req: Request,
    res: Response,
    extra: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const user = staffOf(req);
    const country = await this.country(user);
    const offered = apiScopesOffered(country);
    render(
      res,
      'admin/views/api-clients',
      {
        title: this.i18n.t(req.lang, `${NS}.title`),
        nav: staffNav(this.i18n, req, 'admin'),
        flash: flashFrom(this.i18n, req, 'admin'),
        clients: (await this.clients.list(user.municipalityId)).map((c) =>
          this.row(req, c, country),
        ),
        scopes: offered.map((s) => ({ value: s, label: this.scopeLabel(req, s) })),
        defaultRateLimit: this.config.API_CLIENT_RATE_LIMIT_PER_MINUTE,
        errors: [],
        errorFor: {},
        values: { scopes: Object.fromEntries(offered.map((s) => [s, offered.length === 1])) },
        ...extra,
      },
      status,
    );
  }

  private row(req: Request, c: ApiClient, country: string) {
    const at = (d: Date | null) =>
      d
        ? new Intl.DateTimeFormat('sv-SE', {
            timeZone: TIME_ZONES[country as keyof typeof TIME_ZONES] ?? 'UTC',
            dateStyle: 'short',
            timeStyle: 'short',
          }).format(d)
        : '';
    return {
      id: c.id,
      clientId: c.clientId,
      name: c.name,
      scopes: c.scopes.map((s) => this.scopeLabel(req, s)).join(', '),
      rateLimit:
        c.rateLimitPerMinute ??
        this.i18n.t(req.lang, `${NS}.defaultRate`, {
          n: this.config.API_CLIENT_RATE_LIMIT_PER_MINUTE,
        }),
      createdAt: at(c.createdAt),
      lastUsedAt: at(c.lastUsedAt),
      revokedAt: at(c.revokedAt),
    };
  }

  private scopeLabel(req: Request, s: ApiScope): string {
    return this.i18n.t(req.lang, `${NS}.scope.${s}`);
  }

  /** The municipality's country, or 404 where no machine API is offered. */
  private async country(user: StaffUser): Promise<string> {
    const country = await this.calendars.countryOf(user.municipalityId);
    if (!apiScopesOffered(country).length)
      throw new DomainError(ErrorCode.NotFound, 'no machine API is offered in this municipality');
    return country;
  }

  private async record(
    user: StaffUser,
    action: string,
    subjectId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await recordAdminAction(
      this.audit,
      user,
      action,
      { type: 'api_client', id: subjectId },
      details,
    );
  }
}
