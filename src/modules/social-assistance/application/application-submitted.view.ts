import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { FieldError } from '../../../platform/errors/domain-error';
import { I18nService } from '../../../platform/i18n/i18n.service';
import type { ResidentCaseStatus } from '../process/social-assistance-case.service';
import type { SocialAssistanceApplication } from './application.entity';
import { SocialAssistanceApplicationService } from './application.service';
import { formValues, stepSections, StepView } from './application.view';

/** The case as the resident's page heads it: before, during and after the decision. */
export const RESIDENT_CASE_STATES = [
  'submitted',
  'under-review',
  'information-requested',
  'granted',
  'partly-granted',
  'refused',
  'ended',
] as const;
export type ResidentCaseState = (typeof RESIDENT_CASE_STATES)[number];

/**
 * The case's state for the resident: its outcome once decided (a closed granted case has ended),
 * a request for information while one waits, under review once the caseworker has it (the
 * automatic register checks and assessment before that still read as submitted).
 */
export function residentCaseState(
  s: Pick<ResidentCaseStatus, 'status' | 'stage' | 'outcome'>,
): ResidentCaseState {
  if (s.outcome === 'refused') return 'refused';
  if (s.status !== 'open') return s.outcome ? 'ended' : 'refused';
  if (s.outcome === 'granted' || s.outcome === 'partly-granted') return s.outcome;
  if (s.stage === 'awaiting-information') return 'information-requested';
  if (s.stage === 'review' || s.stage === 'deciding') return 'under-review';
  return 'submitted';
}

/** Where the applicant downloads a file of their case: a bill of the application or an answer's file. */
export const residentFileHref = (caseId: string, fileId: string): string =>
  `/social-assistance/cases/${caseId}/files/${fileId}`;

/** An answer to a request the page refused: its field errors and the text as typed, to refill. */
export interface RefusedAnswer {
  errors: FieldError[];
  answer: string;
}

/** A submitted application: what was declared, when and through which channel. */
@Injectable()
export class SubmittedView {
  constructor(
    private readonly applications: SocialAssistanceApplicationService,
    private readonly i18n: I18nService,
  ) {}

  async render(
    req: Request,
    res: Response,
    app: SocialAssistanceApplication,
    staff: boolean,
    status?: ResidentCaseStatus & { refused: RefusedAnswer },
  ): Promise<void> {
    const v = new StepView(this.i18n, req.lang, formValues(app, req.lang), []);
    const bills = await this.applications.bills(app);
    const { summary } = stepSections(v, 'review', app, req.lang, bills) as {
      summary: unknown;
    };
    const state = status ? residentCaseState(status) : 'submitted';
    res.render('modules/social-assistance/application/views/application-submitted', {
      title: v.t(`caseState.${state}.title`),
      lead: v.t(`caseState.${state}.lead`),
      state,
      confirmation: state === 'submitted',
      app,
      staff,
      channel: v.t(`channel.${app.channel}`),
      summary,
      ...(status ? { caseStatus: this.caseStatusView(req, app, status) } : {}),
      // Staff download through the application's audited read, the applicant through their case.
      bills: staff
        ? bills.map((b) => ({
            ...b,
            href: `/workspace/social-assistance/applications/${app.id}/housing/bills/${b.id}`,
          }))
        : app.caseId
          ? bills.map((b) => ({ ...b, href: residentFileHref(app.caseId!, b.id) }))
          : [],
    });
  }

  /** The case as the resident follows it: stage or outcome, the open request, documents, payments. */
  private caseStatusView(
    req: Request,
    app: SocialAssistanceApplication,
    s: ResidentCaseStatus & { refused: RefusedAnswer },
  ) {
    const t = (key: string, vars?: Record<string, unknown>) => this.i18n.t(req.lang, key, vars);
    const fieldError = (field: string): string | null => {
      const e = s.refused.errors.filter((x) => x.field === field);
      return e.length ? e.map((x) => t(x.message, x.params ?? {})).join(' ') : null;
    };
    const filesAgain = s.refused.errors.length > 0;
    return {
      state:
        s.status === 'open'
          ? t(`workspace:stage.${s.stage ?? 'opened'}`)
          : t(`workspace:outcome.${s.outcome ?? 'refused'}`),
      outcome: s.outcome ? t(`workspace:outcome.${s.outcome}`) : null,
      openRequest: s.openRequest,
      answerAction: `/social-assistance/cases/${app.caseId}/information`,
      answerError: fieldError('answer'),
      filesError: fieldError('files'),
      answerText: s.refused.answer,
      // A browser never refills a file input: after a refusal the files are chosen again.
      filesAgain,
      filesDescribedBy:
        [filesAgain ? 'files-hint' : '', fieldError('files') ? 'files-error' : '']
          .filter(Boolean)
          .join(' ') || null,
      answered: s.answered.map((a) => ({
        ...a,
        files: a.files.map((f) => ({ ...f, href: residentFileHref(app.caseId!, f.id) })),
      })),
      documents: s.documents.map((d) => ({
        ...d,
        href: `/social-assistance/cases/${app.caseId}/documents/${d.id}`,
      })),
      payments: s.payments.map((p) => ({
        month: p.dueMonth,
        amount: `€${(p.amountCents / 100).toFixed(2)}`,
        benefit: t(`social-assistance:decision.benefit.${p.key.split(':')[0]}`),
        status: t(`payments:status.${p.status}`),
      })),
    };
  }
}
