import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode, type FieldError } from '../../../platform/errors/domain-error';
import { I18nService } from '../../../platform/i18n/i18n.service';
import { readUpload, UploadRefused } from '../../../web/uploads';
import { CITIZEN_UPLOAD } from '../../../web/body-limits';
import { flashFrom } from '../../../workspace/page-support';
import type { SocialAssistanceApplication, SocialAssistanceBill } from './application.entity';
import { SocialAssistanceApplicationService, type ApplicationActor } from './application.service';
import {
  APPLICATION_STEPS,
  BILL_MAX_BYTES,
  isApplicationStep,
  type ApplicationStep,
} from './application.types';
import {
  errorLink,
  formValues,
  postedValues,
  stepNav,
  stepSections,
  StepView,
} from './application.view';

const VIEW = 'modules/social-assistance/application/views/application-step';

/** Where a flow's pages live and where a submitted application goes next. */
export interface FlowPaths {
  /** The steps are `${base}/<step>`. */
  base: string;
  submitted(app: SocialAssistanceApplication): string;
  /** Counter registration shows the applicant (the citizen knows who they are). */
  counter: boolean;
}

/**
 * The application's step pages, shared by the resident's e-service and the counter: render a
 * step from the saved draft (or the posted fields with their errors), save a step, upload and
 * remove bills, submit from the review. No JavaScript: every action is a form post.
 */
@Injectable()
export class ApplicationPages {
  constructor(
    private readonly applications: SocialAssistanceApplicationService,
    private readonly i18n: I18nService,
  ) {}

  step(raw: string): ApplicationStep {
    if (!isApplicationStep(raw)) throw new DomainError(ErrorCode.NotFound, 'no such step');
    return raw;
  }

  async render(
    req: Request,
    res: Response,
    app: SocialAssistanceApplication,
    step: ApplicationStep,
    paths: FlowPaths,
    failed?: { body: unknown; errors: FieldError[] },
  ): Promise<void> {
    const values = failed
      ? { ...formValues(app, req.lang), ...postedValues(failed.body) }
      : formValues(app, req.lang);
    const v = new StepView(this.i18n, req.lang, values, failed?.errors ?? []);
    const bills = await this.applications.bills(app);
    const i = APPLICATION_STEPS.indexOf(step);
    const csrf = encodeURIComponent(String(res.locals.csrfToken ?? ''));
    res.render(VIEW, {
      title: `${v.t(`step.${step}`)} – ${v.t('title')}`,
      heading: v.t('title'),
      stepTitle: v.t(`step.${step}`),
      stepLead: v.t(`lead.${step}`),
      app,
      counter: paths.counter,
      action: `${paths.base}/${step}`,
      uploadAction: `${paths.base}/housing/bills?_csrf=${csrf}`,
      billsBase: `${paths.base}/housing/bills`,
      stepNav: stepNav(v, app, step, paths.base),
      [`is_${step}`]: true,
      first: i === 0,
      last: step === 'review',
      savedAt: app.updatedAt,
      flash: flashFrom(this.i18n, req, 'social-assistance-application'),
      errorList: v.errorSummary(errorLink(paths.base, step)),
      benefitsError: v.errorOf('benefits'),
      billsError: v.errorOf('bills'),
      stepBase: paths.base,
      ...stepSections(v, step, app, req.lang, bills),
    });
  }

  /** Saves the step (`action`: next, back, save; on the review: submit) and moves on, or shows the errors. */
  async post(
    req: Request,
    res: Response,
    app: SocialAssistanceApplication,
    step: ApplicationStep,
    paths: FlowPaths,
    actor: ApplicationActor,
  ): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = typeof body.action === 'string' ? body.action : 'next';
    try {
      const saved = await this.applications.saveStep(app, step, body, req.lang);
      if (step === 'review' && action === 'submit') {
        const done = await this.applications.submit(actor, saved);
        return res.redirect(303, paths.submitted(done));
      }
      const i = APPLICATION_STEPS.indexOf(step);
      const to =
        action === 'save'
          ? `${step}?done=draftSaved`
          : action === 'back'
            ? APPLICATION_STEPS[Math.max(0, i - 1)]
            : APPLICATION_STEPS[Math.min(APPLICATION_STEPS.length - 1, i + 1)];
      res.redirect(303, `${paths.base}/${to}`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== ErrorCode.ValidationFailed) throw e;
      res.status(422);
      await this.render(req, res, app, step, paths, { body, errors: e.fields });
    }
  }

  /** Reads the multipart bills form (after the caller has authorised the request) and stores the files. */
  async upload(
    req: Request,
    res: Response,
    app: SocialAssistanceApplication,
    paths: FlowPaths,
    uploadedBy: string,
  ): Promise<void> {
    try {
      const { files, body } = await this.readBills(req, res);
      await this.applications.addBills(app, files, String(body.costKind ?? ''), uploadedBy);
      res.redirect(303, `${paths.base}/housing?done=billsAdded`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== ErrorCode.ValidationFailed) throw e;
      res.status(422);
      await this.render(req, res, app, 'housing', paths, { body: {}, errors: e.fields });
    }
  }

  async removeBill(
    res: Response,
    app: SocialAssistanceApplication,
    billId: string,
    paths: FlowPaths,
  ): Promise<void> {
    await this.applications.removeBill(app, billId);
    res.redirect(303, `${paths.base}/housing?done=billRemoved`);
  }

  async download(res: Response, app: SocialAssistanceApplication, billId: string): Promise<void> {
    sendStoredFile(res, await this.applications.bill(app, billId));
  }

  private async readBills(req: Request, res: Response) {
    try {
      return await readUpload(req, res, {
        ...CITIZEN_UPLOAD,
        field: 'bills',
        maxFileBytes: BILL_MAX_BYTES,
      });
    } catch (e) {
      if (!(e instanceof UploadRefused)) throw e;
      const message =
        e.reason === 'fileTooLarge'
          ? 'social-assistance-application:errors.billTooLarge'
          : e.reason === 'tooManyFiles'
            ? 'social-assistance-application:errors.tooManyBills'
            : 'social-assistance-application:errors.billsRequired';
      throw DomainError.validation([
        { field: 'bills', message, params: { maxMb: 5, max: CITIZEN_UPLOAD.maxFiles } },
      ]);
    }
  }
}

/**
 * A stored bill or answer file as a download, never shown inline: its checked type, and the name
 * the resident gave it as RFC 6266 allows (an ASCII stand-in, then the exact UTF-8 name encoded),
 * so no quote, line break or path in a name reaches the header.
 */
export function sendStoredFile(
  res: Response,
  file: Pick<SocialAssistanceBill, 'fileName' | 'mimeType' | 'content'>,
): void {
  const name = file.fileName.replace(/^.*[\\/]/, '') || 'file';
  const ascii = name.replace(/[^\w.\- ]/g, '_');
  const utf8 = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  res.setHeader('Content-Type', file.mimeType);
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(file.content);
}
