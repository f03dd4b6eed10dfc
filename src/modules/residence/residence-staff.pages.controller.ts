import { formatMoney } from '../../web/money';
import { textFields } from '../../web/form-values';
import { MunicipalDates } from './municipal-dates';
import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ADDRESS_REGISTER, type AddressRegister } from '../../integrations/address/address-register.port';
import { Roles } from '../../platform/auth/access.decorators';
import { auditRequestContext } from '../../platform/audit/request-context';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { I18nService } from '../../platform/i18n/i18n.service';
import { PersonsService } from '../persons/persons.service';
import { requireViewer } from '../persons/viewer';
import { CaseFileService } from '../../workspace/case-file.service';
import { staffOf } from '../../workspace/page-support';
import { ResidenceFeesService } from './residence-fees.service';
import { LEGAL_BASES } from './residence.types';
import { ResidenceService } from './residence.service';
import { declarationFormField, viewErrors, type ViewErrors } from './residence.view-errors';

const STAFF = [{ role: 'caseworker', process: 'residence-declaration' }, 'manager'] as const;
/** The case page and its review form serve annulment cases too, so their caseworkers may open them. */
const CASE_STAFF = [...STAFF, { role: 'caseworker', process: 'residence-annulment' }] as const;
const asList = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);

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
  ) {}

  @Get('declare')
  async counterForm(@Req() req: Request, @Res() res: Response, @Query('addressQuery') addressQuery?: string): Promise<void> {
    await this.renderCounter(req, res, { submissionKey: randomUUID(), includeSelf: 'yes', addressQuery }, null);
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
        personCodes: [...(form.includeSelf ? [applicantCode] : []), ...asList(form.others).filter((c) => c.trim())],
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
      await this.renderCounter(req, res, form, viewErrors(this.i18n, req.lang, e, declarationFormField(!!form.includeSelf, 'applicantCode')));
    }
  }

  private async renderCounter(req: Request, res: Response, form: CounterForm, errs: ViewErrors | null): Promise<void> {
    const q = form.addressQuery?.trim();
    const found = q ? await this.addresses.search({ text: q, limit: 10 }) : [];
    const others = asList(form.others);
    const fee = formatMoney(await this.fees.feeCents(req.user!.municipalityId!, 'counter', await this.dates.today(req.user!.municipalityId!)), req.lang);
    res.render('modules/residence/views/declare', {
      title: this.i18n.t(req.lang, 'residence:declare.counterTitle'),
      form,
      fee,
      counter: true,
      action: '/workspace/residence/declare',
      addressResults: found.filter((a) => a.kind !== 'building').map((a) => ({ code: a.code, text: a.fullText, checked: a.code === form.addressCode })),
      others: [0, 1, 2].map((i) => ({ id: `others-${i}`, value: others[i] ?? '', n: i + 1 })),
      bases: LEGAL_BASES.map((b) => ({ value: b, label: this.i18n.t(req.lang, `residence:basis.${b}`), checked: b === form.basis })),
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
  async attachment(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const user = staffOf(req);
    const a = await this.residence.attachment(user.municipalityId, id);
    await this.caseFiles.recordUploadRead(user, a.caseId, a, undefined, auditRequestContext(req));
    res.setHeader('Content-Type', a.mimeType);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.fileName)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(a.content);
  }

  /** Person search: by personal code or name, with the purpose of the look-up (audited with each person found). */
  @Get('persons')
  async personSearch(@Req() req: Request, @Res() res: Response, @Query('q') q?: string, @Query('purpose') purpose?: string): Promise<void> {
    const form = { q: typeof q === 'string' ? q.slice(0, 200) : '', purpose: typeof purpose === 'string' ? purpose.slice(0, 200) : '' };
    const view = (data: Record<string, unknown>) => res.render('modules/residence/views/person-search', { title: this.i18n.t(req.lang, 'residence:personSearch.title'), form, ...data });
    if (!form.q.trim()) return view({ searched: false, errors: [], fieldErrors: {} });
    try {
      const found = await this.persons.search(requireViewer(req.user), { q: form.q, purpose: form.purpose });
      view({ searched: true, items: found.items, registerUnavailable: found.registerUnavailable, purposeParam: encodeURIComponent(form.purpose), errors: [], fieldErrors: {} });
    } catch (e) {
      res.status(422);
      view({ searched: false, ...viewErrors(this.i18n, req.lang, e) });
    }
  }

  /** Person card: the persons module's card (field visibility by role, audited read). */
  @Get('persons/:code')
  async personCard(@Req() req: Request, @Res() res: Response, @Param('code') code: string, @Query('purpose') purpose?: string): Promise<void> {
    const viewer = requireViewer(req.user);
    const why = purpose?.trim() || 'residence: person card';
    const found = await this.persons.search(viewer, { q: code, purpose: why });
    const hit = found.items.find((p) => p.personalCode === code) ?? found.items[0];
    if (!hit) throw new DomainError(ErrorCode.NotFound, 'person not found');
    const card = await this.persons.getCard(viewer, hit.id, why);
    res.render('modules/residence/views/person', { title: `${card.givenName} ${card.familyName}`, card, registerUnavailable: found.registerUnavailable });
  }
}
