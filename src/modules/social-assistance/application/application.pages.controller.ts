import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Account } from '../../../platform/accounts/account.entity';
import { Roles } from '../../../platform/auth/access.decorators';
import { auditRequestContext } from '../../../platform/audit/request-context';
import { DocumentService } from '../../../documents/document.service';
import { DomainError, ErrorCode } from '../../../platform/errors/domain-error';
import { CITIZEN_UPLOAD } from '../../../web/body-limits';
import { readUpload, UploadRefused } from '../../../web/uploads';
import { SocialAssistanceCaseService } from '../process/social-assistance-case.service';
import { SubmittedView, type RefusedAnswer } from './application-submitted.view';
import { ApplicationPages, sendStoredFile, type FlowPaths } from './application.pages';
import {
  SocialAssistanceApplicationService,
  type ApplicationActor,
  type StartDraft,
} from './application.service';
import { APPLICATION_STEPS, BILL_MAX_BYTES } from './application.types';

const BASE = '/social-assistance/apply';
const PATHS: FlowPaths = {
  base: BASE,
  counter: false,
  submitted: (app) =>
    app.caseId
      ? `/social-assistance/cases/${app.caseId}`
      : `/social-assistance/applications/${app.id}`,
};

/**
 * The answer's text as posted: multer fills the body field by field as the form is read, so the
 * text (before the files in the form) is there even when a file stopped the upload.
 */
function typedAnswer(req: Request): string {
  const answer = (req.body as Record<string, unknown> | undefined)?.answer;
  return typeof answer === 'string' ? answer : '';
}

/** The resident's e-service (eID): the application's steps, each saved as a draft, and the submitted page. */
@Controller('social-assistance')
@Roles('citizen')
export class SocialAssistanceApplicationPagesController {
  constructor(
    private readonly applications: SocialAssistanceApplicationService,
    private readonly pages: ApplicationPages,
    private readonly submittedView: SubmittedView,
    private readonly db: DataSource,
    private readonly caseStatus: SocialAssistanceCaseService,
    private readonly documents: DocumentService,
  ) {}

  /** Starts or resumes the resident's draft at the first step not yet saved. */
  @Get('apply')
  async start(@Req() req: Request, @Res() res: Response): Promise<void> {
    const app = await this.draft(req, false);
    const next = APPLICATION_STEPS.find((s) => !app.stepsDone.includes(s)) ?? 'review';
    res.redirect(303, `${BASE}/${next}`);
  }

  @Get('apply/:step')
  async show(@Req() req: Request, @Res() res: Response, @Param('step') step: string) {
    const s = this.pages.step(step);
    await this.pages.render(req, res, await this.draft(req, false), s, PATHS);
  }

  @Post('apply/:step')
  async save(@Req() req: Request, @Res() res: Response, @Param('step') step: string) {
    const s = this.pages.step(step);
    await this.pages.post(req, res, await this.draft(req), s, PATHS, this.actor(req));
  }

  @Post('apply/housing/bills')
  async upload(@Req() req: Request, @Res() res: Response): Promise<void> {
    // The resident's own draft before a byte of the upload is read.
    const app = await this.draft(req);
    await this.pages.upload(req, res, app, PATHS, req.user!.accountId);
  }

  @Post('apply/housing/bills/:billId/delete')
  async removeBill(@Req() req: Request, @Res() res: Response, @Param('billId') billId: string) {
    await this.pages.removeBill(res, await this.saved(req), billId, PATHS);
  }

  @Get('apply/housing/bills/:billId')
  async download(@Req() req: Request, @Res() res: Response, @Param('billId') billId: string) {
    await this.pages.download(res, await this.saved(req), billId);
  }

  /** The resident's own submitted application (another's: not found). */
  @Get('applications/:id')
  async submitted(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
    const app = await this.applications.get(this.actor(req), id, await this.codeOf(req));
    if (app.status === 'draft') return res.redirect(303, `${BASE}/review`);
    await this.submittedView.render(req, res, app, false);
  }

  /**
   * The status page of the case a submitted application opened (the manifest's citizenCaseHref):
   * the application, the case's stage or outcome, an open request for information with its answer
   * form, the decision document and the payments.
   */
  @Get('cases/:caseId')
  async byCase(@Req() req: Request, @Res() res: Response, @Param('caseId') caseId: string) {
    await this.renderCase(req, res, caseId);
  }

  /**
   * The applicant's answer to the open request for information: a text, files (multipart, as the
   * bills), or both (the run continues, the clock restarts). The body is read only after the case
   * is found to be the resident's own.
   */
  @Post('cases/:caseId/information')
  async answer(@Req() req: Request, @Res() res: Response, @Param('caseId') caseId: string) {
    const user = req.user!;
    const code = await this.codeOf(req);
    await this.applications.findByCase(user.municipalityId!, caseId, code);
    try {
      const { text, files } = await this.readAnswer(req, res);
      await this.caseStatus.answer(user.municipalityId!, caseId, code, user.accountId, text, files);
      res.redirect(303, `/social-assistance/cases/${caseId}`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== ErrorCode.ValidationFailed) throw e;
      res.status(422);
      // The text comes back as typed (read before a refused file stopped the upload); files cannot.
      await this.renderCase(req, res, caseId, { errors: e.fields, answer: typedAnswer(req) });
    }
  }

  private async readAnswer(req: Request, res: Response) {
    try {
      const { files } = await readUpload(req, res, {
        ...CITIZEN_UPLOAD,
        field: 'files',
        maxFileBytes: BILL_MAX_BYTES,
      });
      return { text: typedAnswer(req), files };
    } catch (e) {
      if (!(e instanceof UploadRefused)) throw e;
      const E = 'social-assistance:errors';
      throw DomainError.validation([
        e.reason === 'fileTooLarge'
          ? { field: 'files', message: `${E}.answerFileTooLarge`, params: { maxMb: 5 } }
          : e.reason === 'tooManyFiles'
            ? {
                field: 'files',
                message: `${E}.answerTooManyFiles`,
                params: { max: CITIZEN_UPLOAD.maxFiles },
              }
            : { field: 'answer', message: `${E}.answer` },
      ]);
    }
  }

  /**
   * A file of the resident's own case (a bill sent with the application, a file sent with an
   * answer) as a download; anyone else's: not found. An audited read of the household's data.
   */
  @Get('cases/:caseId/files/:fileId')
  async caseFile(
    @Req() req: Request,
    @Res() res: Response,
    @Param('caseId') caseId: string,
    @Param('fileId') fileId: string,
  ): Promise<void> {
    const user = req.user!;
    const actor = {
      ...this.actor(req),
      audit: {
        accountId: user.accountId,
        display: user.displayName,
        role: 'resident',
        ...auditRequestContext(req),
      },
    };
    sendStoredFile(
      res,
      await this.applications.caseFile(actor, caseId, await this.codeOf(req), fileId),
    );
  }

  /** The case's decision document (PDF), to its applicant only. */
  @Get('cases/:caseId/documents/:documentId')
  async decisionDocument(
    @Req() req: Request,
    @Res() res: Response,
    @Param('caseId') caseId: string,
    @Param('documentId') documentId: string,
  ): Promise<void> {
    const user = req.user!;
    await this.applications.findByCase(user.municipalityId!, caseId, await this.codeOf(req));
    const doc = await this.documents.get(user.municipalityId!, documentId);
    if (!doc || doc.caseId !== caseId)
      throw new DomainError(ErrorCode.NotFound, 'document not found');
    const pdf = await this.documents.pdf(user.municipalityId!, documentId);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${doc.fileName}"`);
    res.send(pdf);
  }

  private async renderCase(
    req: Request,
    res: Response,
    caseId: string,
    refused: RefusedAnswer = { errors: [], answer: '' },
  ) {
    const user = req.user!;
    const app = await this.applications.findByCase(
      user.municipalityId!,
      caseId,
      await this.codeOf(req),
    );
    const status = await this.caseStatus.status(user.municipalityId!, caseId);
    await this.submittedView.render(req, res, app, false, { ...status, refused });
  }

  private actor(req: Request): ApplicationActor {
    return {
      municipalityId: req.user!.municipalityId!,
      accountId: req.user!.accountId,
      channel: 'online',
    };
  }

  /** The resident's draft; `store`: created when there is none (a POST), else shown unsaved (a GET writes nothing). */
  private async draft(req: Request, store = true) {
    const start = await this.startOf(req);
    if (store) return this.applications.startDraft(start);
    return (
      (await this.applications.findDraft(start.municipalityId, start.applicantCode)) ??
      this.applications.unsavedDraft(start)
    );
  }

  private async saved(req: Request) {
    const user = req.user!;
    const app = await this.applications.findDraft(user.municipalityId!, await this.codeOf(req));
    if (!app) throw new DomainError(ErrorCode.NotFound, 'no draft');
    return app;
  }

  private async startOf(req: Request): Promise<StartDraft> {
    const user = req.user!;
    return {
      municipalityId: user.municipalityId!,
      applicantCode: await this.codeOf(req),
      applicantName: user.displayName,
      channel: 'online',
      enteredBy: user.accountId,
      lang: req.lang,
    };
  }

  private async codeOf(req: Request): Promise<string> {
    const a = await this.db.getRepository(Account).findOneBy({ id: req.user!.accountId });
    if (!a?.personalCode)
      throw new DomainError(
        ErrorCode.Forbidden,
        'a citizen account with a personal code is required',
      );
    return a.personalCode;
  }
}
