import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditService } from '../platform/audit/audit.service';
import { auditRequestContext } from '../platform/audit/request-context';
import { Public, Roles } from '../platform/auth/access.decorators';
import { DomainError, ErrorCode, type FieldError } from '../platform/errors/domain-error';
import { I18nService } from '../platform/i18n/i18n.service';
import type { ServiceCatalogueEntry } from '../processes/process-module';
import { ProcessRegistry } from '../processes/process-registry';
import {
  InfoRequestService,
  UPLOAD_LIMITS,
  type UploadedFile,
} from '../workspace/info-requests/info-request.service';
import { CITIZEN_UPLOAD } from '../web/body-limits';
import { readUpload, UploadRefused } from '../web/uploads';
import { fieldErrorsOf, flashFrom, render } from '../workspace/page-support';
import { sendPdf } from '../workspace/workspace.pages.controller';
import { DraftService } from './draft.service';
import { portalNav } from './portal-nav';
import { PortalService, type Citizen } from './portal.service';

function citizenOf(req: Request): Citizen {
  const u = req.user;
  if (!u?.municipalityId) throw new DomainError(ErrorCode.Unauthenticated, 'sign-in required');
  return {
    accountId: u.accountId,
    displayName: u.displayName,
    municipalityId: u.municipalityId,
    grants: u.grants,
  };
}

/** What the inline answer forms (partial citizen-requests) need. */
export const answerFormVars = (res: Response) => ({
  limits: { maxFiles: UPLOAD_LIMITS.maxFiles, maxMb: UPLOAD_LIMITS.maxBytes / 1024 / 1024 },
  csrfQuery: encodeURIComponent(String(res.locals.csrfToken ?? '')),
});

/** `path` with the query string of `from` (e.g. a ?done= flash) carried over. */
const withQuery = (path: string, from: string): string => {
  const q = from.indexOf('?');
  return q < 0 ? path : `${path}${from.slice(q)}`;
};

/** The citizen portal: catalogue, application forms with drafts, my cases, answers to requests, documents, who consulted my data. */
@Controller()
export class PortalPagesController {
  constructor(
    private readonly i18n: I18nService,
    private readonly portal: PortalService,
    private readonly drafts: DraftService,
    private readonly infoRequests: InfoRequestService,
    private readonly audit: AuditService,
    private readonly processes: ProcessRegistry,
  ) {}

  @Get('services')
  @Public()
  catalogue(@Req() req: Request, @Res() res: Response): void {
    render(res, 'portal/views/catalogue', {
      title: this.i18n.t(req.lang, 'portal:catalogue.title'),
      nav: portalNav(this.i18n, req, 'services'),
      services: this.processes.services(),
    });
  }

  @Get('services/:key')
  @Public()
  async service(
    @Req() req: Request,
    @Res() res: Response,
    @Param('key') key: string,
  ): Promise<void> {
    const s = this.service$(key);
    const vars = await this.processes.feeVars(s.key, req.user?.municipalityId ?? null);
    render(res, 'portal/views/service', {
      title: this.i18n.t(req.lang, s.name),
      nav: portalNav(this.i18n, req, 'services'),
      s,
      fee: this.i18n.t(req.lang, s.fee, vars),
    });
  }

  @Get('services/:key/apply')
  @Roles('citizen')
  async applyPage(
    @Req() req: Request,
    @Res() res: Response,
    @Param('key') key: string,
  ): Promise<void> {
    const s = this.service$(key);
    const c = citizenOf(req);
    const draft = await this.drafts.load(c.municipalityId, c.accountId, `apply:${s.key}`);
    this.renderApply(req, res, s, draft?.data ?? {}, [], draft?.updatedAt ?? null);
  }

  @Post('services/:key/apply')
  @Roles('citizen')
  async apply(
    @Req() req: Request,
    @Res() res: Response,
    @Param('key') key: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const s = this.service$(key);
    const c = citizenOf(req);
    const formKey = `apply:${s.key}`;
    const values = Object.fromEntries(
      (s.applyForm?.fields ?? []).map((f) => [
        f.name,
        typeof body[f.name] === 'string' ? (body[f.name] as string).slice(0, f.maxLength * 2) : '',
      ]),
    );
    if (body.action === 'save') {
      await this.drafts.save(c.municipalityId, c.accountId, formKey, values);
      return res.redirect(303, `/services/${s.key}/apply?done=draftSaved`);
    }
    try {
      const opened = await this.portal.apply(c, s, body);
      await this.drafts.discard(c.municipalityId, c.accountId, formKey);
      res.redirect(303, `/my-cases/${opened.id}?done=submitted`);
    } catch (e) {
      const errors = fieldErrorsOf(this.i18n, req, e);
      if (!errors) throw e;
      this.renderApply(req, res, s, values, errors, null, 422);
    }
  }

  private renderApply(
    req: Request,
    res: Response,
    s: ServiceCatalogueEntry,
    values: Record<string, string>,
    errors: { field: string; text: string }[],
    savedAt: Date | null,
    status = 200,
  ) {
    if (!s.applyForm) throw new DomainError(ErrorCode.NotFound, 'service has no online form');
    const errorFor = Object.fromEntries(errors.map((e) => [e.field, e.text]));
    render(
      res,
      'portal/views/apply',
      {
        title: this.i18n.t(req.lang, 'portal:apply.title', {
          service: this.i18n.t(req.lang, s.name),
        }),
        nav: portalNav(this.i18n, req, 'services'),
        flash: flashFrom(this.i18n, req, 'portal'),
        s,
        fields: s.applyForm.fields.map((f) => ({
          ...f,
          value: values[f.name] ?? '',
          error: errorFor[f.name],
          textarea: f.kind === 'textarea',
        })),
        errors,
        savedAt,
      },
      status,
    );
  }

  @Get('my-cases')
  @Roles('citizen')
  async myCases(@Req() req: Request, @Res() res: Response): Promise<void> {
    render(res, 'portal/views/my-cases', {
      title: this.i18n.t(req.lang, 'common:nav.myCases'),
      nav: portalNav(this.i18n, req, 'my-cases'),
      cases: (await this.portal.myCases(citizenOf(req))).map((c) => ({
        ...c,
        href: this.processes.citizenCaseHref(c.processKey, c.id),
      })),
    });
  }

  /** The one citizen page of a case; a process with its own case page (e.g. residence) is sent there. */
  @Get('my-cases/:id')
  @Roles('citizen')
  async myCase(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const data = await this.portal.myCase(citizenOf(req), id);
    const home = this.processes.citizenCaseHref(data.case.processKey, data.case.id);
    if (home !== `/my-cases/${data.case.id}`)
      return res.redirect(303, withQuery(home, req.originalUrl));
    render(res, 'portal/views/my-case', {
      title: `${data.case.number} – ${this.i18n.label(req.lang, data.case.title)}`,
      nav: portalNav(this.i18n, req, 'my-cases'),
      flash: flashFrom(this.i18n, req, 'portal'),
      ...data,
      ...answerFormVars(res),
    });
  }

  /** Requests are answered on the case page itself. */
  @Get('my-cases/:id/requests/:rid')
  @Roles('citizen')
  async requestPage(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('rid') rid: string,
  ): Promise<void> {
    const c = citizenOf(req);
    const kase = await this.portal.owned(c, id);
    const r = await this.infoRequests.get(c.municipalityId, rid);
    if (r.caseId !== kase.id) throw new DomainError(ErrorCode.NotFound, 'request not found');
    res.redirect(
      303,
      `${this.processes.citizenCaseHref(kase.processKey, kase.id)}#request-${r.id}`,
    );
  }

  @Post('my-cases/:id/requests/:rid')
  @Roles('citizen')
  async answer(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('rid') rid: string,
  ): Promise<void> {
    const c = citizenOf(req);
    // Who may answer, before a byte of the upload is read: the case's party, a request of this case.
    await this.portal.owned(c, id);
    const r = await this.infoRequests.get(c.municipalityId, rid);
    if (r.caseId !== id) throw new DomainError(ErrorCode.NotFound, 'request not found');
    let answer = '';
    try {
      const { files, body } = await this.readAnswer(req, res);
      answer = typeof body.answer === 'string' ? body.answer : '';
      await this.infoRequests.answer(
        c.municipalityId,
        rid,
        c.accountId,
        answer,
        files.filter((f) => f.size > 0 || f.originalname),
      );
    } catch (e) {
      const errors = fieldErrorsOf(this.i18n, req, e);
      if (!errors) throw e;
      return this.renderAnswer(req, res, id, rid, answer, errors, 422);
    }
    const kase = await this.portal.owned(c, id);
    res.redirect(303, `${this.processes.citizenCaseHref(kase.processKey, kase.id)}?done=answered`);
  }

  /** The answer form's files and text within UPLOAD_LIMITS; a limit hit is the field error the service would give. */
  private async readAnswer(
    req: Request,
    res: Response,
  ): Promise<{ files: UploadedFile[]; body: Record<string, string> }> {
    try {
      return await readUpload(req, res, {
        ...CITIZEN_UPLOAD,
        field: 'files',
        maxFiles: UPLOAD_LIMITS.maxFiles,
        maxFileBytes: UPLOAD_LIMITS.maxBytes,
      });
    } catch (e) {
      if (!(e instanceof UploadRefused)) throw e;
      const refusals: Record<UploadRefused['reason'], FieldError> = {
        fileTooLarge: {
          field: 'files',
          message: 'portal:errors.fileSize',
          params: { name: e.file, max: `${UPLOAD_LIMITS.maxBytes / 1024 / 1024} MB` },
        },
        tooManyFiles: {
          field: 'files',
          message: 'portal:errors.tooManyFiles',
          params: { max: UPLOAD_LIMITS.maxFiles },
        },
        fieldTooLarge: { field: 'answer', message: 'portal:errors.tooLong' },
        malformed: { field: 'files', message: 'portal:errors.answerRequired' },
      };
      throw DomainError.validation([refusals[e.reason]]);
    }
  }

  private async renderAnswer(
    req: Request,
    res: Response,
    id: string,
    rid: string,
    answer: string,
    errors: { field: string; text: string }[],
    status = 200,
  ) {
    const c = citizenOf(req);
    const kase = await this.portal.owned(c, id);
    const r = await this.infoRequests.get(c.municipalityId, rid);
    if (r.caseId !== kase.id) throw new DomainError(ErrorCode.NotFound, 'request not found');
    render(
      res,
      'portal/views/answer',
      {
        title: this.i18n.t(req.lang, 'portal:answer.title'),
        nav: portalNav(this.i18n, req, 'my-cases'),
        case: kase,
        request: r,
        answer,
        errors,
        errorFor: Object.fromEntries(errors.map((e) => [e.field, e.text])),
        backTo: this.processes.citizenCaseHref(kase.processKey, kase.id),
        ...answerFormVars(res),
      },
      status,
    );
  }

  @Get('my-cases/:id/documents/:docId')
  @Roles('citizen')
  async document(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('docId') docId: string,
  ): Promise<void> {
    const { pdf, name } = await this.portal.document(citizenOf(req), id, docId);
    sendPdf(res, pdf, name, false);
  }

  @Get('my-data/consultations')
  @Roles('citizen')
  async consultations(@Req() req: Request, @Res() res: Response): Promise<void> {
    const c = citizenOf(req);
    const personId = await this.portal.personId(c);
    const rows = personId
      ? await this.audit.consultations(
          c.municipalityId,
          personId,
          { accountId: c.accountId, display: c.displayName, role: 'resident' },
          auditRequestContext(req),
        )
      : [];
    render(res, 'portal/views/consultations', {
      title: this.i18n.t(req.lang, 'portal:consultations.title'),
      nav: portalNav(this.i18n, req, 'my-data'),
      known: personId !== null,
      rows,
    });
  }

  private service$(key: string): ServiceCatalogueEntry {
    const s = this.processes.service(key);
    if (!s) throw new DomainError(ErrorCode.NotFound, `service ${key} not found`);
    return s;
  }
}
