import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CalendarService } from '../deadlines/calendar/calendar.service';
import { DeadlineRulesService } from '../deadlines/deadline-rules.service';
import { OutboxService } from '../delivery/outbox.service';
import { DOCUMENT_LANGUAGES } from '../documents/templates/template-registry';
import { ProcessRegistry } from '../processes/process-registry';
import { AccountsService } from '../platform/accounts/accounts.service';
import { isRole, STAFF_ROLES } from '../platform/accounts/roles';
import { apiScopesOffered } from '../platform/api-clients/api-client.entity';
import { AuditService } from '../platform/audit/audit.service';
import { recordAdminAction } from './admin-audit';
import { Roles } from '../platform/auth/access.decorators';
import { AuthService } from '../platform/auth/auth.service';
import { DirectoryService } from '../platform/auth/directory/directory.service';
import { DirectoryUnavailable } from '../platform/auth/directory/ldap-directory';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { I18nService } from '../platform/i18n/i18n.service';
import { ParametersService } from '../parameters/parameters.service';
import {
  fieldErrorsOf,
  flashFrom,
  render,
  staffNav,
  staffOf,
  type StaffUser,
} from '../workspace/page-support';
import { StaffDirectoryService } from '../workspace/staff-directory.service';
import { isUuid } from '../platform/ids';

type Body = Record<string, unknown>;
const s = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** Administration: staff and roles, the staff directory (LDAP), working-day calendar, deadline rules, template previews, dead letters. */
@Controller('admin')
@Roles('administrator')
export class AdminPagesController {
  constructor(
    private readonly i18n: I18nService,
    private readonly accounts: AccountsService,
    private readonly staff: StaffDirectoryService,
    private readonly calendars: CalendarService,
    private readonly rules: DeadlineRulesService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly parametersService: ParametersService,
    private readonly auth: AuthService,
    private readonly directory: DirectoryService,
    private readonly registry: ProcessRegistry,
  ) {}

  @Get()
  async home(@Req() req: Request, @Res() res: Response): Promise<void> {
    const country = await this.calendars.countryOf(staffOf(req).municipalityId);
    render(res, 'admin/views/home', {
      title: this.i18n.t(req.lang, 'admin:title'),
      nav: staffNav(this.i18n, req, 'admin'),
      apiClients: apiScopesOffered(country).length > 0,
    });
  }

  @Get('users')
  async users(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderUsers(req, res, {});
  }

  private async renderUsers(
    req: Request,
    res: Response,
    extra: Record<string, unknown>,
    status = 200,
  ) {
    const user = staffOf(req);
    render(
      res,
      'admin/views/users',
      {
        title: this.i18n.t(req.lang, 'admin:users.title'),
        nav: staffNav(this.i18n, req, 'admin'),
        flash: flashFrom(this.i18n, req, 'admin'),
        users: await this.staff.list(user.municipalityId),
        roles: STAFF_ROLES,
        errors: [],
        errorFor: {},
        values: {},
        ...extra,
      },
      status,
    );
  }

  @Post('users')
  async createUser(@Req() req: Request, @Res() res: Response, @Body() body: Body): Promise<void> {
    const user = staffOf(req);
    const role = s(body.role);
    try {
      if (!isRole(role) || role === 'citizen')
        throw DomainError.validation([{ field: 'role', message: 'admin:errors.role' }]);
      const acc = await this.accounts.createStaff({
        username: s(body.username),
        displayName: s(body.displayName),
        password: s(body.password),
      });
      await this.accounts.grant(acc.id, user.municipalityId, role);
      await this.record(user, 'admin.account_created', acc.id, { role });
    } catch (e) {
      const errors = fieldErrorsOf(this.i18n, req, e);
      if (!errors) throw e;
      return this.renderUsers(
        req,
        res,
        {
          errors,
          errorFor: Object.fromEntries(errors.map((x) => [x.field, x.text])),
          values: { ...body, password: '' },
        },
        422,
      );
    }
    res.redirect(303, '/admin/users?done=created');
  }

  @Post('users/:id/roles')
  async changeRole(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Body,
  ): Promise<void> {
    const user = staffOf(req);
    const role = s(body.role);
    if (!isUuid(id) || !isRole(role) || role === 'citizen')
      throw DomainError.validation([{ field: 'role', message: 'admin:errors.role' }]);
    await this.auth.requireAccountIn(
      user.municipalityId,
      id,
      user.accountId,
      body.op === 'revoke' ? 'revoke' : 'grant',
    );
    if (body.op === 'revoke') {
      await this.accounts.revoke(id, user.municipalityId, role);
      await this.record(user, 'admin.role_revoked', id, { role });
    } else {
      await this.accounts.grant(id, user.municipalityId, role);
      await this.record(user, 'admin.role_granted', id, { role });
    }
    res.redirect(303, `/admin/users?done=${body.op === 'revoke' ? 'revoked' : 'granted'}`);
  }

  @Get('directory')
  async directorySettings(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderDirectory(req, res, {});
  }

  private async renderDirectory(
    req: Request,
    res: Response,
    extra: Record<string, unknown>,
    status = 200,
  ) {
    const user = staffOf(req);
    const stored = await this.directory.view(user.municipalityId);
    render(
      res,
      'admin/views/directory',
      {
        title: this.i18n.t(req.lang, 'admin:directory.title'),
        nav: staffNav(this.i18n, req, 'admin'),
        flash: flashFrom(this.i18n, req, 'admin'),
        hasBindPassword: stored.hasBindPassword,
        values: stored,
        errors: [],
        errorFor: {},
        ...extra,
      },
      status,
    );
  }

  /** The service password is write-only: never rendered, an empty field keeps the stored one. */
  @Post('directory')
  async saveDirectory(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Body,
  ): Promise<void> {
    const user = staffOf(req);
    const raw = (k: string): string => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const input = {
      enabled: body.enabled === 'on' || body.enabled === 'true',
      url: raw('url'),
      caCertificate: raw('caCertificate'),
      bindDn: raw('bindDn'),
      bindPassword: raw('bindPassword'),
      userDnTemplate: raw('userDnTemplate'),
      userBaseDn: raw('userBaseDn'),
      userFilter: raw('userFilter'),
      groupBaseDn: raw('groupBaseDn'),
      groupMemberAttribute: raw('groupMemberAttribute'),
      disabledFilter: raw('disabledFilter'),
      disabledGroupDn: raw('disabledGroupDn'),
      roleMappings: raw('roleMappings'),
    };
    try {
      await this.directory.save(user.municipalityId, input, user.accountId);
    } catch (e) {
      const errors = fieldErrorsOf(this.i18n, req, e);
      if (!errors) throw e;
      return this.renderDirectory(
        req,
        res,
        {
          errors,
          errorFor: Object.fromEntries(errors.map((x) => [x.field, x.text])),
          values: { ...input, bindPassword: '' },
        },
        422,
      );
    }
    res.redirect(303, '/admin/directory?done=directorySaved');
  }

  /** Binds with the stored settings and reads the user base: what went wrong is shown to the administrator. */
  @Post('directory/test')
  async testDirectory(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = staffOf(req);
    const found = await this.directory.stored(user.municipalityId);
    try {
      if (!found) throw new DirectoryUnavailable('no settings saved');
      await this.directory.client(found).probe();
    } catch (e) {
      if (!(e instanceof DirectoryUnavailable)) throw e;
      const text = this.i18n.t(req.lang, 'admin:directory.errors.unreachable', {
        reason: e.reason,
      });
      return this.renderDirectory(
        req,
        res,
        { errors: [{ field: 'url', text }], errorFor: { url: text } },
        422,
      );
    }
    res.redirect(303, '/admin/directory?done=directoryReachable');
  }

  @Get('calendar')
  async calendar(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderCalendar(req, res, {});
  }

  private async renderCalendar(
    req: Request,
    res: Response,
    extra: Record<string, unknown>,
    status = 200,
  ) {
    const user = staffOf(req);
    const country = await this.calendars.countryOf(user.municipalityId);
    render(
      res,
      'admin/views/calendar',
      {
        title: this.i18n.t(req.lang, 'admin:calendar.title'),
        nav: staffNav(this.i18n, req, 'admin'),
        flash: flashFrom(this.i18n, req, 'admin'),
        country,
        exceptions: await this.calendars.listExceptions(country, user.municipalityId),
        errors: [],
        errorFor: {},
        values: {},
        ...extra,
      },
      status,
    );
  }

  @Post('calendar')
  async addException(@Req() req: Request, @Res() res: Response, @Body() body: Body): Promise<void> {
    const user = staffOf(req);
    const country = await this.calendars.countryOf(user.municipalityId);
    if (s(body.scope) === 'country')
      await this.refuseNational(user, 'admin.calendar_exception_added', country, {
        date: s(body.date),
      });
    try {
      const row = await this.calendars.addException({
        country,
        municipalityId: user.municipalityId,
        date: s(body.date),
        kind: s(body.kind),
        note: s(body.note).slice(0, 500),
        createdBy: user.accountId,
      });
      await this.record(user, 'admin.calendar_exception_added', row.id, {
        date: row.date,
        kind: row.kind,
        scope: 'municipality',
      });
    } catch (e) {
      const errors = fieldErrorsOf(this.i18n, req, e);
      if (!errors) throw e;
      return this.renderCalendar(
        req,
        res,
        {
          errors,
          errorFor: Object.fromEntries(errors.map((x) => [x.field, x.text])),
          values: body,
        },
        422,
      );
    }
    res.redirect(303, '/admin/calendar?done=exceptionAdded');
  }

  @Post('calendar/:id/remove')
  async removeException(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
  ): Promise<void> {
    const user = staffOf(req);
    const country = await this.calendars.countryOf(user.municipalityId);
    const own = (await this.calendars.listExceptions(country, user.municipalityId)).find(
      (x) => x.id === id,
    );
    if (!own) throw DomainError.validation([{ field: 'id', message: 'admin:errors.notFound' }]);
    if (own.municipalityId === null)
      await this.refuseNational(user, 'admin.calendar_exception_removed', id, { date: own.date });
    await this.calendars.removeException(id);
    await this.record(user, 'admin.calendar_exception_removed', id, { date: own.date });
    res.redirect(303, '/admin/calendar?done=exceptionRemoved');
  }

  @Get('parameters')
  async parameters(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderParameters(req, res, {});
  }

  private async renderParameters(
    req: Request,
    res: Response,
    extra: Record<string, unknown>,
    status = 200,
  ) {
    const user = staffOf(req);
    const country = await this.calendars.countryOf(user.municipalityId);
    render(
      res,
      'admin/views/parameters',
      {
        title: this.i18n.t(req.lang, 'admin:parameters.title'),
        nav: staffNav(this.i18n, req, 'admin'),
        flash: flashFrom(this.i18n, req, 'admin'),
        rules: await this.rules.list(country),
        // A number as people write it (14, 4.27), and a list parameter as its items in the reader's language.
        parameters: (await this.parametersService.list(country, user.municipalityId)).map((p) => ({
          ...p,
          // Its name in the reader's language where the platform has one; the key stays beside it (a code).
          name: this.i18n.has(req.lang, `workspace:parameterNames.${p.key}`)
            ? this.i18n.t(req.lang, `workspace:parameterNames.${p.key}`)
            : null,
          shownValue: String(Number(p.value)),
          listItems:
            p.items?.map((i) => ({
              code: i.code,
              label: i.label[req.lang],
              legalReference: i.legalReference,
            })) ?? null,
        })),
        errors: [],
        errorFor: {},
        values: {},
        ...extra,
      },
      status,
    );
  }

  /** Deadline rules are national (set by law, loaded by the seed): a municipal administrator only reads them. */
  @Post('parameters')
  async defineRule(@Req() req: Request, @Body() body: Body): Promise<void> {
    const user = staffOf(req);
    await this.refuseNational(
      user,
      'admin.deadline_rule_defined',
      s(body.ruleKey).slice(0, 200) || 'unknown',
      { validFrom: s(body.validFrom) },
    );
  }

  /** A new effective-dated version of an amount (fee, threshold, coefficient) for this municipality, overriding the national one. */
  @Post('parameters/values')
  async defineParameter(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Body,
  ): Promise<void> {
    const user = staffOf(req);
    const country = await this.calendars.countryOf(user.municipalityId);
    if (s(body.scope) === 'country')
      await this.refuseNational(
        user,
        'admin.parameter_defined',
        s(body.key).slice(0, 200) || 'unknown',
        { validFrom: s(body.validFrom) },
      );
    try {
      const row = await this.parametersService.define({
        country,
        municipalityId: user.municipalityId,
        key: s(body.key),
        value: s(body.value),
        unit: s(body.unit),
        validFrom: s(body.validFrom),
        note: s(body.note).slice(0, 1000),
        createdBy: user.accountId,
      });
      await this.record(user, 'admin.parameter_defined', row.id, {
        key: row.key,
        value: row.value,
        validFrom: row.validFrom,
      });
    } catch (e) {
      const errors = fieldErrorsOf(this.i18n, req, e);
      if (!errors) throw e;
      const errorFor = Object.fromEntries(errors.map((x) => [`p_${x.field}`, x.text]));
      return this.renderParameters(
        req,
        res,
        {
          errors: errors.map((x) => ({ ...x, field: `p_${x.field}` })),
          errorFor,
          values: Object.fromEntries(Object.entries(body).map(([k, v]) => [`p_${k}`, v])),
        },
        422,
      );
    }
    res.redirect(303, '/admin/parameters?done=parameterDefined');
  }

  @Get('templates')
  templates(@Req() req: Request, @Res() res: Response): void {
    render(res, 'admin/views/templates', {
      title: this.i18n.t(req.lang, 'admin:templates.title'),
      nav: staffNav(this.i18n, req, 'admin'),
      templates: this.registry
        .templates()
        .keys()
        .map((k) => ({ key: k, langs: [...DOCUMENT_LANGUAGES] })),
    });
  }

  @Get('deliveries')
  async deliveries(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = staffOf(req);
    render(res, 'admin/views/deliveries', {
      title: this.i18n.t(req.lang, 'admin:deliveries.title'),
      nav: staffNav(this.i18n, req, 'admin'),
      flash: flashFrom(this.i18n, req, 'admin'),
      dead: await this.outbox.listDead(user.municipalityId),
    });
  }

  @Post('deliveries/:id/retry')
  async retry(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const user = staffOf(req);
    if (!isUuid(id))
      throw DomainError.validation([{ field: 'id', message: 'admin:errors.notFound' }]);
    await this.outbox.retryDead(user.municipalityId, id, user.accountId);
    await this.record(user, 'admin.delivery_retried', id, {});
    res.redirect(303, '/admin/deliveries?done=retried');
  }

  /**
   * National rows (calendar exceptions and amounts of the whole country, every deadline rule) are
   * shared by all municipalities; no role here may change them, only the seed/CLI. Audited as refused.
   */
  private async refuseNational(
    user: StaffUser,
    action: string,
    subjectId: string,
    details: Record<string, unknown>,
  ): Promise<never> {
    await this.record(user, `${action}.refused`, subjectId, { ...details, scope: 'country' });
    throw new DomainError(
      ErrorCode.Forbidden,
      `${action}: national rows are read-only to a municipal administrator`,
      [{ field: 'scope', message: 'admin:errors.national' }],
    );
  }

  private async record(
    user: StaffUser,
    action: string,
    subjectId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    const type = action
      .split('.')[1]
      .replace(/_(added|removed|created|granted|revoked|defined|retried)$/, '');
    await recordAdminAction(this.audit, user, action, { type, id: subjectId }, details);
  }
}
