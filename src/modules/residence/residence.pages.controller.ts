import { formatMoney } from '../../web/money';
import { textFields } from '../../web/form-values';
import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { CaseAccessService } from '../../cases/case-access.service';
import { CaseService } from '../../cases/case.service';
import { DeadlinesService } from '../../deadlines/deadlines.service';
import { DocumentService } from '../../documents/document.service';
import {
  ADDRESS_REGISTER,
  type AddressRegister,
} from '../../integrations/address/address-register.port';
import { Account } from '../../platform/accounts/account.entity';
import { Roles } from '../../platform/auth/access.decorators';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { I18nService } from '../../platform/i18n/i18n.service';
import { LEGAL_BASES } from './residence.types';
import { DraftService } from '../../portal/draft.service';
import { answerFormVars } from '../../portal/portal.pages.controller';
import { PortalService } from '../../portal/portal.service';
import { flashFrom } from '../../workspace/page-support';
import { ResidenceService } from './residence.service';
import { parseUpload } from './residence.uploads';
import { declarationFormField, viewErrors, type ViewErrors } from './residence.view-errors';

interface DeclareForm {
  submissionKey?: string;
  includeSelf?: string;
  others?: string | string[];
  addressCode?: string;
  addressQuery?: string;
  basis?: string;
  basisNote?: string;
  contactEmail?: string;
  applicantCode?: string;
  /** 'save' keeps the filled-in fields as a draft; 'search' looks up addresses and shows the form again as filled in. */
  action?: string;
}

const DRAFT_KEY = 'residence:declare';
/** The fields a draft keeps (never the submission key: a resumed draft is a new submission). */
const DRAFT_FIELDS = [
  'includeSelf',
  'addressCode',
  'addressQuery',
  'basis',
  'basisNote',
  'contactEmail',
] as const;

const asList = (v: string | string[] | undefined): string[] =>
  Array.isArray(v) ? v : v ? [v] : [];

/** Citizen pages: the declaration e-service, the status page with due date, uploads and downloads. */
@Controller('residence')
export class ResidencePagesController {
  constructor(
    private readonly residence: ResidenceService,
    private readonly cases: CaseService,
    private readonly deadlines: DeadlinesService,
    private readonly documents: DocumentService,
    private readonly i18n: I18nService,
    private readonly db: DataSource,
    @Inject(ADDRESS_REGISTER) private readonly addresses: AddressRegister,
    private readonly drafts: DraftService,
    private readonly portal: PortalService,
    private readonly access: CaseAccessService,
  ) {}

  @Get('declare')
  @Roles('citizen')
  async declareForm(
    @Req() req: Request,
    @Res() res: Response,
    @Query('addressQuery') addressQuery?: string,
  ): Promise<void> {
    const user = req.user!;
    const draft = await this.drafts.load(user.municipalityId!, user.accountId, DRAFT_KEY);
    const saved: DeclareForm = draft
      ? { ...draft.data, others: draft.data.others ? draft.data.others.split('\n') : [] }
      : { includeSelf: 'yes' };
    await this.renderDeclare(
      req,
      res,
      {
        ...saved,
        submissionKey: randomUUID(),
        ...(addressQuery !== undefined ? { addressQuery } : {}),
      },
      null,
      draft?.updatedAt ?? null,
    );
  }

  @Post('declare')
  @Roles('citizen')
  async declare(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const form = textFields<DeclareForm>(body, ['others']);
    const user = req.user!;
    if (form.action === 'search') return this.renderDeclare(req, res.status(200), form, null);
    if (form.action === 'save') {
      const data: Record<string, string> = Object.fromEntries(
        DRAFT_FIELDS.map((f) => [f, String(form[f] ?? '').slice(0, 2000)]),
      );
      data.others = asList(form.others)
        .map((c) => c.trim().slice(0, 20))
        .filter(Boolean)
        .join('\n');
      await this.drafts.save(user.municipalityId!, user.accountId, DRAFT_KEY, data);
      return res.redirect(303, '/residence/declare?done=draftSaved');
    }
    const applicantCode = await this.personalCodeOf(user.accountId);
    const personCodes = [
      ...(form.includeSelf ? [applicantCode] : []),
      ...asList(form.others).filter((c) => c.trim()),
    ];
    try {
      const r = await this.residence.submitDeclaration({
        municipalityId: user.municipalityId!,
        submissionKey: form.submissionKey ?? '',
        channel: 'online',
        applicantCode,
        personCodes,
        addressCode: (form.addressCode ?? '').trim(),
        basis: form.basis ?? '',
        basisNote: form.basisNote,
        contactEmail: form.contactEmail,
        lang: req.lang,
        enteredBy: user.accountId,
      });
      await this.drafts.discard(user.municipalityId!, user.accountId, DRAFT_KEY);
      res.redirect(303, `/residence/cases/${r.caseId}`);
    } catch (e) {
      res.status(422);
      await this.renderDeclare(
        req,
        res,
        form,
        viewErrors(this.i18n, req.lang, e, declarationFormField(!!form.includeSelf, 'includeSelf')),
      );
    }
  }

  private async renderDeclare(
    req: Request,
    res: Response,
    form: DeclareForm,
    errs: ViewErrors | null,
    savedAt: Date | null = null,
  ): Promise<void> {
    const q = form.addressQuery?.trim();
    const found = q ? await this.addresses.search({ text: q, limit: 10 }) : [];
    const others = asList(form.others);
    res.render('modules/residence/views/declare', {
      title: this.i18n.t(req.lang, 'residence:declare.title'),
      form,
      action: '/residence/declare',
      counter: false,
      applicantCode: await this.personalCodeOf(req.user!.accountId),
      drafts: true,
      savedAt,
      flash: flashFrom(this.i18n, req, 'portal'),
      addressResults: found
        .filter((a) => a.kind !== 'building')
        .map((a) => ({ code: a.code, text: a.fullText, checked: a.code === form.addressCode })),
      others: [0, 1, 2].map((i) => ({ id: `others-${i}`, value: others[i] ?? '', n: i + 1 })),
      bases: LEGAL_BASES.map((b) => ({
        value: b,
        label: this.i18n.t(req.lang, `residence:basis.${b}`),
        checked: b === form.basis,
      })),
      ...(errs ?? { errors: [], fieldErrors: {} }),
    });
  }

  @Get('cases/:caseId')
  @Roles('citizen')
  async status(
    @Req() req: Request,
    @Res() res: Response,
    @Param('caseId') caseId: string,
    errs: ViewErrors | null = null,
  ): Promise<void> {
    const user = req.user!;
    const d = await this.ownDeclaration(req, caseId);
    const c = await this.cases.get(user.municipalityId!, caseId);
    const [deadline] = await this.deadlines.listForCase(user.municipalityId!, caseId);
    const docs = await this.documents.listForCase(user.municipalityId!, caseId);
    // What the caseworker asked for: the review's document requests and any request for information
    // (these go to the applicant, who answers them here).
    const asked = (await this.residence.documentRequests(user.municipalityId!, caseId)).filter(
      (r) => r.status === 'open',
    );
    const citizen = {
      accountId: user.accountId,
      displayName: user.displayName,
      municipalityId: user.municipalityId!,
    };
    const mine = d.applicantCode === (await this.personalCodeOf(user.accountId));
    const requests = mine ? (await this.portal.myCase(citizen, caseId)).requests : [];
    // The applicant's case: the same status history the services platform received.
    const statusHistory = mine ? await this.portal.statusHistory(citizen, caseId) : [];
    res.render('modules/residence/views/status', {
      title: this.i18n.t(req.lang, 'residence:status.title'),
      c,
      d,
      stage: this.i18n.t(req.lang, `portal:stage.${c.stage}`),
      outcome: c.outcome ? this.i18n.t(req.lang, `residence:outcome.${c.outcome}`) : null,
      decidedAt: c.status === 'open' ? null : c.closedAt,
      dueOn: c.status === 'open' ? (deadline?.dueOn ?? null) : null,
      paused: deadline?.status === 'paused',
      fee: formatMoney(d.feeCents, req.lang),
      awaitingDocuments: c.status === 'open' && c.stage === 'awaiting-documents',
      documentsAsked: asked,
      requests,
      statusHistory,
      flash: flashFrom(this.i18n, req, 'portal'),
      ...answerFormVars(res),
      uploadAction: `/residence/cases/${caseId}/documents?_csrf=${encodeURIComponent(String(res.locals.csrfToken ?? ''))}`,
      documents: docs.map((x) => ({
        title: x.title,
        href: `/residence/cases/${caseId}/documents/${x.id}`,
        verificationUrl: x.verificationUrl,
      })),
      ...(errs ?? { errors: [], fieldErrors: {} }),
    });
  }

  @Post('cases/:caseId/documents')
  @Roles('citizen')
  async upload(
    @Req() req: Request,
    @Res() res: Response,
    @Param('caseId') caseId: string,
  ): Promise<void> {
    const user = req.user!;
    // Party to the case before reading any upload.
    await this.ownDeclaration(req, caseId);
    try {
      const { files } = await parseUpload(req, res);
      await this.residence.supplyDocuments(
        user.municipalityId!,
        caseId,
        await this.personalCodeOf(user.accountId),
        user.accountId,
        files,
      );
      res.redirect(303, `/residence/cases/${caseId}`);
    } catch (e) {
      const errs = viewErrors(this.i18n, req.lang, e);
      res.status(422);
      await this.status(req, res, caseId, errs);
    }
  }

  @Get('cases/:caseId/documents/:documentId')
  @Roles('citizen')
  async download(
    @Req() req: Request,
    @Res() res: Response,
    @Param('caseId') caseId: string,
    @Param('documentId') documentId: string,
  ): Promise<void> {
    const user = req.user!;
    await this.ownDeclaration(req, caseId);
    const doc = await this.documents.get(user.municipalityId!, documentId);
    if (!doc || doc.caseId !== caseId)
      throw new DomainError(ErrorCode.NotFound, 'document not found');
    const pdf = await this.documents.pdf(user.municipalityId!, documentId);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${doc.fileName}"`);
    res.send(pdf);
  }

  /** The declaration of a case the resident is party to (the access policy decides), else "not found". */
  private async ownDeclaration(req: Request, caseId: string) {
    await this.access.require(req.user!, caseId, 'party');
    const d = await this.residence.findByCase(req.user!.municipalityId!, caseId);
    if (!d) throw new DomainError(ErrorCode.NotFound, 'case not found');
    return d;
  }

  private async personalCodeOf(accountId: string): Promise<string> {
    const a = await this.db.getRepository(Account).findOneBy({ id: accountId });
    if (!a?.personalCode)
      throw new DomainError(
        ErrorCode.Forbidden,
        'a citizen account with a personal code is required',
      );
    return a.personalCode;
  }
}
