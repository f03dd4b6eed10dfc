import { formatMoney } from '../../web/money';
import { textFields } from '../../web/form-values';
import { MunicipalDates } from './municipal-dates';
import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ActingUser } from '../../cases/acting-user';
import { CaseService } from '../../cases/case.service';
import { TaskService } from '../../cases/task.service';
import { DeadlinesService } from '../../deadlines/deadlines.service';
import { ADDRESS_REGISTER, type AddressRegister } from '../../integrations/address/address-register.port';
import { Roles } from '../../platform/auth/access.decorators';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { I18nService } from '../../platform/i18n/i18n.service';
import { PersonsService } from '../persons/persons.service';
import { requireViewer } from '../persons/viewer';
import { findTaskFormView } from '../../workspace/catalogue';
import { ResidenceFeesService } from './residence-fees.service';
import { LEGAL_BASES } from './residence.types';
import { ResidenceService } from './residence.service';
import { declarationFormField, viewErrors, type ViewErrors } from './residence.view-errors';

const STAFF = [{ role: 'caseworker', process: 'residence-declaration' }, 'manager'] as const;
/** The case page and its review form serve annulment cases too, so their caseworkers may open them. */
const CASE_STAFF = [...STAFF, { role: 'caseworker', process: 'residence-annulment' }] as const;
const asList = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);
const acting = (req: Request): ActingUser => ({ accountId: req.user!.accountId, municipalityId: req.user!.municipalityId!, roles: req.user!.roles });

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
}

interface ReviewForm {
  outcome?: string;
  reason?: string;
  documentsRequested?: string;
  basisAtDeclaration?: string;
}

/** Caseworker pages: the counter declaration form and the review task pages. */
@Controller('workspace/residence')
@Roles(...STAFF)
export class ResidenceStaffPagesController {
  constructor(
    private readonly residence: ResidenceService,
    private readonly fees: ResidenceFeesService,
    private readonly cases: CaseService,
    private readonly tasks: TaskService,
    private readonly deadlines: DeadlinesService,
    private readonly i18n: I18nService,
    private readonly persons: PersonsService,
    @Inject(ADDRESS_REGISTER) private readonly addresses: AddressRegister,
    private readonly dates: MunicipalDates,
  ) {}

  @Get('declare')
  async counterForm(@Req() req: Request, @Res() res: Response, @Query('addressQuery') addressQuery?: string): Promise<void> {
    await this.renderCounter(req, res, { submissionKey: randomUUID(), includeSelf: 'yes', addressQuery }, null);
  }

  @Post('declare')
  async counter(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const form = textFields<CounterForm>(body, ['others']);
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
      res.redirect(303, `/workspace/residence/cases/${r.caseId}`);
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

  /** The case as staff see it, with the open review task's form when there is one. */
  @Get('cases/:caseId')
  @Roles(...CASE_STAFF)
  async casePage(@Req() req: Request, @Res() res: Response, @Param('caseId') caseId: string, errs: ViewErrors | null = null, form: ReviewForm = {}): Promise<void> {
    const user = acting(req);
    const c = await this.cases.get(user.municipalityId, caseId);
    if (c.processKey !== 'residence-declaration' && c.processKey !== 'residence-annulment') throw new DomainError(ErrorCode.NotFound, 'not a residence case');
    const d = await this.residence.findByCase(user.municipalityId, caseId);
    const a = d ? null : await this.residence.findAnnulmentByCase(user.municipalityId, caseId);
    const tasks = (await this.tasks.list(user, 'role')).filter((t) => t.caseId === caseId);
    const [deadline] = await this.deadlines.listForCase(user.municipalityId, caseId);
    const attachments = await this.residence.attachments(user.municipalityId, caseId);
    // Showing the case shows the persons in it: an audited read with its purpose.
    const viewer = requireViewer(req.user);
    for (const code of d ? d.personCodes : a ? [a.personCode] : []) {
      await this.persons.search(viewer, { q: code, purpose: `${c.number}: ${d ? 'residence declaration review' : 'annulment review'}` });
    }
    const task = tasks[0] ?? null;
    res.render('modules/residence/views/case', {
      title: this.i18n.t(req.lang, d ? 'residence:case.declarationTitle' : 'residence:case.annulmentTitle'),
      c,
      d,
      a,
      basis: d ? this.i18n.t(req.lang, `residence:basis.${d.basis}`) : null,
      stage: this.i18n.t(req.lang, `residence:stage.${c.stage}`),
      dueOn: deadline?.dueOn ?? null,
      fee: d ? formatMoney(d.feeCents, req.lang) : null,
      attachments,
      task: task ? { id: task.id, annulment: task.formKey === 'residence.annulment-review', action: `/workspace/residence/tasks/${task.id}` } : null,
      form,
      ...(errs ?? { errors: [], fieldErrors: {} }),
    });
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

  @Post('tasks/:taskId')
  @Roles(...CASE_STAFF)
  async decide(@Req() req: Request, @Res() res: Response, @Param('taskId') taskId: string, @Body() body: unknown): Promise<void> {
    const form = textFields<ReviewForm>(body);
    const user = acting(req);
    const task = await this.tasks.get(user, taskId);
    // The same form-to-decision mapping as the workspace task page (workspace/catalogue/residence.catalogue.ts).
    const decision = findTaskFormView(task.formKey)?.toDecision({ ...form }) ?? {};
    try {
      if (task.status === 'open') await this.tasks.claim(user, taskId);
      await this.tasks.complete(user, taskId, decision);
      res.redirect(303, `/workspace/residence/cases/${task.caseId}`);
    } catch (e) {
      res.status(422);
      await this.casePage(req, res, task.caseId, viewErrors(this.i18n, req.lang, e), form);
    }
  }
}
