import { formatMoney } from '../../web/money';
import { textFields } from '../../web/form-values';
import { MunicipalDates } from './municipal-dates';
import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ADDRESS_REGISTER,
  type AddressRegister,
} from '../../integrations/address/address-register.port';
import { Roles } from '../../platform/auth/access.decorators';
import { auditRequestContext } from '../../platform/audit/request-context';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { I18nService, type Lang } from '../../platform/i18n/i18n.service';
import { CaseAccessService } from '../../cases/case-access.service';
import { PERSON_LOOKUP_ACCESS, type LookupPurposeDefinition } from '../../persons/lookup-purpose';
import { ProcessRegistry } from '../../processes/process-registry';
import { parsePersonalCode } from '../../persons/personal-code';
import { PersonsService } from '../../persons/persons.service';
import { requireViewer } from '../../persons/viewer';
import { CaseFileService } from '../../workspace/case-file.service';
import { staffOf } from '../../workspace/page-support';
import { ResidenceFeesService } from './residence-fees.service';
import { LEGAL_BASES } from './residence.types';
import { ResidenceService } from './residence.service';
import { declarationFormField, viewErrors, type ViewErrors } from './residence.view-errors';
import { isUuid } from '../../platform/ids';

const STAFF = [{ role: 'caseworker', process: 'residence-declaration' }, 'manager'] as const;
/** The case page and its review form serve annulment cases too, so their caseworkers may open them. */
const CASE_STAFF = [...STAFF, { role: 'caseworker', process: 'residence-annulment' }] as const;
const asList = (v: string | string[] | undefined): string[] =>
  Array.isArray(v) ? v : v ? [v] : [];

interface CounterForm {
  submissionKey?: string;
  applicantCode?: string;
  includeSelf?: string;
  others?: string | string[];
  addressCode?: string;
  addressQuery?: string;
  basis?: string;
  basisNote?: string;
  contactEmail?: string;
  /** 'search' looks up addresses and shows the form again as filled in. */
  action?: string;
}

/** Caseworker pages: the counter declaration form and the review task pages. */
@Controller('workspace/residence')
@Roles(...STAFF)
export class ResidenceStaffPagesController {
  constructor(
    private readonly residence: ResidenceService,
    private readonly fees: ResidenceFeesService,
    private readonly i18n: I18nService,
    private readonly persons: PersonsService,
    @Inject(ADDRESS_REGISTER) private readonly addresses: AddressRegister,
    private readonly dates: MunicipalDates,
    private readonly caseFiles: CaseFileService,
    private readonly access: CaseAccessService,
    private readonly registry: ProcessRegistry,
  ) {}

  @Get('declare')
  async counterForm(
    @Req() req: Request,
    @Res() res: Response,
    @Query('addressQuery') addressQuery?: string,
  ): Promise<void> {
    await this.renderCounter(
      req,
      res,
      { submissionKey: randomUUID(), includeSelf: 'yes', addressQuery },
      null,
    );
  }

  @Post('declare')
  async counter(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const form = textFields<CounterForm>(body, ['others']);
    // The address search is a button of the same form: everything typed so far comes back with the results.
    if (form.action === 'search') return this.renderCounter(req, res.status(200), form, null);
    const applicantCode = (form.applicantCode ?? '').trim();
    try {
      const r = await this.residence.submitDeclaration({
        municipalityId: req.user!.municipalityId!,
        submissionKey: form.submissionKey ?? '',
        channel: 'counter',
        applicantCode,
        personCodes: [
          ...(form.includeSelf ? [applicantCode] : []),
          ...asList(form.others).filter((c) => c.trim()),
        ],
        addressCode: (form.addressCode ?? '').trim(),
        basis: form.basis ?? '',
        basisNote: form.basisNote,
        contactEmail: form.contactEmail,
        lang: req.lang,
        enteredBy: req.user!.accountId,
      });
      res.redirect(303, `/workspace/cases/${r.caseId}`);
    } catch (e) {
      res.status(422);
      await this.renderCounter(
        req,
        res,
        form,
        viewErrors(
          this.i18n,
          req.lang,
          e,
          declarationFormField(!!form.includeSelf, 'applicantCode'),
        ),
      );
    }
  }

  private async renderCounter(
    req: Request,
    res: Response,
    form: CounterForm,
    errs: ViewErrors | null,
  ): Promise<void> {
    const q = form.addressQuery?.trim();
    const found = q ? await this.addresses.search({ text: q, limit: 10 }) : [];
    const others = asList(form.others);
    const fee = formatMoney(
      await this.fees.feeCents(
        req.user!.municipalityId!,
        'counter',
        await this.dates.today(req.user!.municipalityId!),
      ),
      req.lang,
    );
    res.render('modules/residence/views/declare', {
      title: this.i18n.t(req.lang, 'residence:declare.counterTitle'),
      form,
      fee,
      counter: true,
      action: '/workspace/residence/declare',
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

  /** The one staff case page is the workspace case file (facts, register results, the task form, uploads). */
  @Get('cases/:caseId')
  @Roles(...CASE_STAFF)
  casePage(@Res() res: Response, @Param('caseId') caseId: string): void {
    res.redirect(301, `/workspace/cases/${encodeURIComponent(caseId)}`);
  }

  /** A file the applicant uploaded, for the staff of the case's municipality; opening it is an audited read. */
  @Get('attachments/:id')
  @Roles(...CASE_STAFF)
  async attachment(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
  ): Promise<void> {
    const user = staffOf(req);
    const a = await this.residence.attachment(user.municipalityId, id);
    await this.caseFiles.recordUploadRead(user, a.caseId, a, undefined, auditRequestContext(req));
    res.setHeader('Content-Type', a.mimeType);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(a.fileName)}`,
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(a.content);
  }

  /** Person search form: nothing is looked up or recorded until it is sent (issue 12 L1). */
  @Get('persons')
  @Roles(...PERSON_LOOKUP_ACCESS)
  personSearchForm(@Req() req: Request, @Res() res: Response): void {
    this.renderSearch(req, res, {}, { searched: false, errors: [], fieldErrors: {} });
  }

  /** Person search by personal code or name, for a purpose from the list (audited with each person found). */
  @Post('persons')
  @HttpCode(200)
  @Roles(...PERSON_LOOKUP_ACCESS)
  async personSearch(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const form = textFields<LookupForm>(body);
    try {
      const found = await this.persons.search(requireViewer(req.user), {
        q: form.q ?? '',
        purpose: form.purpose,
        caseNumber: form.caseNumber,
      });
      this.renderSearch(req, res, form, {
        searched: true,
        items: found.items,
        registerUnavailable: found.registerUnavailable,
        errors: [],
        fieldErrors: {},
      });
    } catch (e) {
      const errs = viewErrors(this.i18n, req.lang, e);
      res.status(422);
      this.renderSearch(req, res, form, { searched: false, ...errs });
    }
  }

  /**
   * The purpose form for one person's card (links from lists and case files): shows nothing of the
   * person and records nothing. From a case (`?case=`), the case is offered as the purpose.
   */
  @Get('persons/:code')
  @Roles(...PERSON_LOOKUP_ACCESS)
  async personCardForm(
    @Req() req: Request,
    @Res() res: Response,
    @Param('code') code: string,
    @Query('case') caseId?: unknown,
  ): Promise<void> {
    const parsed = parsePersonalCode(code, 'code');
    if (!parsed.ok) throw new DomainError(ErrorCode.NotFound, 'person not found');
    const fromCase = typeof caseId === 'string' ? await this.caseNumberOf(req, caseId) : null;
    const form: LookupForm = {
      code: parsed.value.code,
      ...(fromCase ? { purpose: 'case-handling', caseNumber: fromCase } : {}),
    };
    this.renderPurpose(req, res, form, { errors: [], fieldErrors: {} });
  }

  /** A person's card (field visibility by role), for a purpose from the list: an audited read, so a POST. */
  @Post('persons/card')
  @HttpCode(200)
  @Roles(...PERSON_LOOKUP_ACCESS)
  async personCard(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const form = textFields<LookupForm>(body);
    const viewer = requireViewer(req.user);
    const purpose = { purpose: form.purpose, caseNumber: form.caseNumber };
    try {
      let personId = form.personId?.trim() ?? '';
      let registerUnavailable = false;
      if (!isUuid(personId)) {
        const parsed = parsePersonalCode(form.code ?? '', 'code');
        if (!parsed.ok) throw new DomainError(ErrorCode.NotFound, 'person not found');
        const found = await this.persons.search(viewer, { q: parsed.value.code, ...purpose });
        const hit = found.items[0];
        if (!hit) throw new DomainError(ErrorCode.NotFound, 'person not found');
        personId = hit.id;
        registerUnavailable = found.registerUnavailable;
      }
      const card = await this.persons.getCard(viewer, personId, purpose);
      res.render('modules/residence/views/person', {
        title: `${card.givenName} ${card.familyName}`,
        card,
        registerUnavailable: registerUnavailable || card.registerUnavailable,
        purposeLabel: this.i18n.t(req.lang, `persons:lookupPurpose.${String(form.purpose)}`),
      });
    } catch (e) {
      const errs = viewErrors(this.i18n, req.lang, e);
      res.status(422);
      this.renderPurpose(req, res, form, errs);
    }
  }

  private renderSearch(
    req: Request,
    res: Response,
    form: LookupForm,
    data: Record<string, unknown>,
  ): void {
    res.render('modules/residence/views/person-search', {
      title: this.i18n.t(req.lang, 'residence:personSearch.title'),
      form,
      purposes: purposeChoices(this.i18n, req.lang, form.purpose, this.registry.lookupPurposes()),
      ...data,
    });
  }

  private renderPurpose(req: Request, res: Response, form: LookupForm, errs: ViewErrors): void {
    res.render('modules/residence/views/person-purpose', {
      title: this.i18n.t(req.lang, 'residence:personSearch.cardTitle'),
      form,
      purposes: purposeChoices(this.i18n, req.lang, form.purpose, this.registry.lookupPurposes()),
      ...errs,
    });
  }

  /** The number of a case the user may read, to offer as the purpose (nothing for anything else). */
  private async caseNumberOf(req: Request, caseId: string): Promise<string | null> {
    if (!isUuid(caseId)) return null;
    const c = await this.access.require(req.user!, caseId, 'read').catch(() => null);
    return c?.number ?? null;
  }
}

interface LookupForm {
  q?: string;
  code?: string;
  personId?: string;
  purpose?: string;
  caseNumber?: string;
}

/** The look-up purposes as radio choices, in the user's language. */
function purposeChoices(
  i18n: I18nService,
  lang: Lang,
  chosen: string | undefined,
  purposes: readonly LookupPurposeDefinition[],
) {
  return purposes.map((p) => ({
    value: p.code,
    label: i18n.t(lang, `persons:lookupPurpose.${p.code}`),
    hint: i18n.t(lang, `persons:lookupPurposeHint.${p.code}`),
    needsCase: p.needsCase,
    checked: p.code === chosen,
  }));
}
