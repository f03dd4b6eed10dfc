import { DomainError, ErrorCode } from '../../../platform/errors/domain-error';
import { CalendarService } from '../../../deadlines/calendar/calendar.service';
import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { parsePersonalCode } from '../../../persons/personal-code';
import { Roles } from '../../../platform/auth/access.decorators';
import { auditRequestContext } from '../../../platform/audit/request-context';
import type { FieldError } from '../../../platform/errors/domain-error';
import { I18nService } from '../../../platform/i18n/i18n.service';
import { textFields } from '../../../web/form-values';
import { staffOf } from '../../../workspace/page-support';
import type { SocialAssistanceApplication } from './application.entity';
import { ApplicationPages, type FlowPaths } from './application.pages';
import { SocialAssistanceApplicationService, type ApplicationActor } from './application.service';
import { SubmittedView } from './application-submitted.view';
import { fieldDomId } from './application.view';

/** Caseworkers of the social assistance process and managers (the process key of the manifest). */
export const SOCIAL_ASSISTANCE_STAFF = [
  { role: 'caseworker', process: 'social-assistance' },
  'manager',
] as const;

const BASE = '/workspace/social-assistance/applications';
const pathsOf = (app: SocialAssistanceApplication): FlowPaths => ({
  base: `${BASE}/${app.id}`,
  counter: true,
  submitted: (a) => (a.caseId ? `/workspace/cases/${a.caseId}` : `${BASE}/${a.id}`),
});

interface NewForm {
  applicantCode?: string;
  givenName?: string;
  familyName?: string;
}

/**
 * Registration at the counter: the caseworker starts (or resumes) the resident's draft by their
 * personal code and fills in the same steps; submitted there, the application records the
 * counter channel. Every view of an application reads the household's data: audited.
 */
@Controller('workspace/social-assistance/applications')
@Roles(...SOCIAL_ASSISTANCE_STAFF)
export class SocialAssistanceApplicationStaffPagesController {
  constructor(
    private readonly applications: SocialAssistanceApplicationService,
    private readonly pages: ApplicationPages,
    private readonly submittedView: SubmittedView,
    private readonly i18n: I18nService,
    private readonly calendars: CalendarService,
  ) {}

  @Get('new')
  async newForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    // Offered where its rules exist (Latvia): elsewhere 404, as the menu says.
    const { municipalityId } = staffOf(req);
    if ((await this.calendars.countryOf(municipalityId)) !== 'LV')
      throw new DomainError(ErrorCode.NotFound, 'social assistance is not offered here');
    this.renderNew(req, res, {}, []);
  }

  @Post('new')
  async start(@Req() req: Request, @Res() res: Response): Promise<void> {
    const form = textFields<NewForm>(req.body);
    const errors: FieldError[] = [];
    const code = parsePersonalCode(form.applicantCode?.trim() ?? '', 'applicantCode');
    if (!code.ok) errors.push(code.error);
    const name = (f: 'givenName' | 'familyName') => {
      const v = form[f]?.trim() ?? '';
      if (!v || v.length > 100)
        errors.push({ field: f, message: `social-assistance-application:errors.required` });
      return v;
    };
    const givenName = name('givenName');
    const familyName = name('familyName');
    if (!code.ok || errors.length) return this.renderNew(req, res.status(422), form, errors);
    const user = staffOf(req);
    const app = await this.applications.startDraft({
      municipalityId: user.municipalityId,
      applicantCode: code.value.code,
      applicantName: `${givenName} ${familyName}`,
      channel: 'counter',
      enteredBy: user.accountId,
      lang: req.lang,
    });
    // A new draft starts its household with the applicant as given at the counter.
    if (!app.stepsDone.includes('household') && app.data.members.length === 0)
      await this.applications.seedApplicant(app, givenName, familyName);
    res.redirect(303, `${BASE}/${app.id}/household`);
  }

  /** A submitted application as the caseworker reads it; a draft opens at its review. */
  @Get(':id')
  async show(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
    const app = await this.applications.get(this.actor(req), id);
    if (app.status === 'draft') return res.redirect(303, `${BASE}/${app.id}/review`);
    await this.submittedView.render(req, res, app, true);
  }

  @Get(':id/:step')
  async step(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('step') step: string,
  ) {
    const s = this.pages.step(step);
    const app = await this.applications.get(this.actor(req), id);
    await this.pages.render(req, res, app, s, pathsOf(app));
  }

  @Post(':id/:step')
  async save(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('step') step: string,
  ) {
    const s = this.pages.step(step);
    const app = await this.applications.get(this.actor(req), id);
    await this.pages.post(req, res, app, s, pathsOf(app), this.actor(req));
  }

  @Post(':id/housing/bills')
  async upload(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
    const app = await this.applications.get(this.actor(req), id);
    await this.pages.upload(req, res, app, pathsOf(app), req.user!.accountId);
  }

  @Post(':id/housing/bills/:billId/delete')
  async removeBill(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('billId') billId: string,
  ) {
    const app = await this.applications.get(this.actor(req), id);
    await this.pages.removeBill(res, app, billId, pathsOf(app));
  }

  @Get(':id/housing/bills/:billId')
  async download(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('billId') billId: string,
  ) {
    await this.pages.download(res, await this.applications.get(this.actor(req), id), billId);
  }

  private actor(req: Request): ApplicationActor {
    const user = staffOf(req);
    return {
      municipalityId: user.municipalityId,
      accountId: user.accountId,
      channel: 'counter',
      audit: {
        accountId: user.accountId,
        display: user.displayName,
        role: user.roles.includes('caseworker') ? 'caseworker' : (user.roles[0] ?? null),
        ...auditRequestContext(req),
      },
    };
  }

  private renderNew(req: Request, res: Response, form: NewForm, errors: FieldError[]): void {
    const fieldErrors: Record<string, string> = {};
    for (const e of errors)
      fieldErrors[fieldDomId(e.field)] ??= this.i18n.t(req.lang, e.message, e.params ?? {});
    res.render('modules/social-assistance/application/views/application-new', {
      title: this.i18n.t(req.lang, 'social-assistance-application:counter.title'),
      form,
      errors: Object.entries(fieldErrors).map(([field, text]) => ({ field, text })),
      fieldErrors,
    });
  }
}
