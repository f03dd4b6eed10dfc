import { textFields } from '../../web/form-values';
import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { CaseAccessService } from '../../cases/case-access.service';
import { CaseService } from '../../cases/case.service';
import { DeadlinesService } from '../../deadlines/deadlines.service';
import { Account } from '../../platform/accounts/account.entity';
import { Roles } from '../../platform/auth/access.decorators';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { I18nService, isLang } from '../../platform/i18n/i18n.service';
import { ResidenceService } from './residence.service';
import { TenantDb } from '../../platform/tenancy/tenant-db';
import { OutboxMessage } from '../../delivery/outbox-message.entity';
import { TimelineEvent } from '../../cases/timeline-event.entity';
import { parseUpload } from './residence.uploads';
import { viewErrors, type ViewErrors } from './residence.view-errors';

interface AnnulmentForm {
  personCode?: string;
  initiatedBy?: string;
  applicantCode?: string;
  groundCode?: string;
  grounds?: string;
}

const STAFF = [{ role: 'caseworker', process: 'residence-declaration' }, 'manager'] as const;

/** Annulment: staff open one (owner's application or ex officio); the person answers with proof. */
@Controller()
export class ResidenceAnnulmentPagesController {
  constructor(
    private readonly residence: ResidenceService,
    private readonly cases: CaseService,
    private readonly deadlines: DeadlinesService,
    private readonly i18n: I18nService,
    private readonly db: DataSource,
    private readonly access: CaseAccessService,
    private readonly tenantDb: TenantDb,
  ) {}

  @Get('workspace/residence/annulments/new')
  @Roles(...STAFF)
  async form(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.render(req, res, { initiatedBy: 'owner' }, null);
  }

  @Post('workspace/residence/annulments')
  @Roles(...STAFF)
  async start(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const form = textFields<AnnulmentForm>(body);
    try {
      const r = await this.residence.startAnnulment({
        municipalityId: req.user!.municipalityId!,
        personCode: form.personCode ?? '',
        initiatedBy:
          form.initiatedBy === 'ex-officio'
            ? 'ex-officio'
            : form.initiatedBy === 'owner'
              ? 'owner'
              : (form.initiatedBy as 'owner'),
        applicantCode: form.applicantCode,
        groundCode: form.groundCode ?? '',
        grounds: form.grounds ?? '',
        enteredBy: req.user!.accountId,
      });
      res.redirect(303, `/workspace/cases/${r.caseId}`);
    } catch (e) {
      res.status(422);
      await this.render(req, res, form, viewErrors(this.i18n, req.lang, e));
    }
  }

  @Get('residence/annulments/:caseId')
  @Roles('citizen')
  async citizenPage(
    @Req() req: Request,
    @Res() res: Response,
    @Param('caseId') caseId: string,
    errs: ViewErrors | null = null,
  ): Promise<void> {
    const a = await this.ownAnnulment(req, caseId);
    const c = await this.cases.get(req.user!.municipalityId!, caseId);
    const [deadline] = await this.deadlines.listForCase(req.user!.municipalityId!, caseId);
    const { notices, period } = await this.noticesTo(
      req.user!.municipalityId!,
      caseId,
      a.personCode,
    );
    res.render('modules/residence/views/annulment-response', {
      notices,
      period,
      title: this.i18n.t(req.lang, 'residence:case.annulmentTitle'),
      c,
      a,
      stage: this.i18n.t(req.lang, `portal:stage.${c.stage}`),
      decidedAt: c.status === 'open' ? null : c.closedAt,
      dueOn: c.status === 'open' ? (deadline?.dueOn ?? null) : null,
      open: a.status === 'open' && c.status === 'open',
      uploadAction: `/residence/annulments/${caseId}/response?_csrf=${encodeURIComponent(String(res.locals.csrfToken ?? ''))}`,
      ...(errs ?? { errors: [], fieldErrors: {} }),
    });
  }

  @Post('residence/annulments/:caseId/response')
  @Roles('citizen')
  async respond(
    @Req() req: Request,
    @Res() res: Response,
    @Param('caseId') caseId: string,
  ): Promise<void> {
    try {
      const a = await this.ownAnnulment(req, caseId);
      const { files, body } = await parseUpload(req, res);
      await this.residence.respondToAnnulment(
        req.user!.municipalityId!,
        caseId,
        a.personCode,
        req.user!.accountId,
        files,
        typeof body.note === 'string' ? body.note : '',
      );
      res.redirect(303, `/residence/annulments/${caseId}`);
    } catch (e) {
      res.status(422);
      await this.citizenPage(req, res, caseId, viewErrors(this.i18n, req.lang, e));
    }
  }

  /**
   * What was sent to the person in this case and when it took legal effect (deemed notified, the
   * appeal period of the decision), and the response period counted from the invitation.
   */
  private noticesTo(municipalityId: string, caseId: string, personCode: string) {
    return this.tenantDb.run(municipalityId, async (em) => {
      const keys = ['basis-invitation', `annulment-decision:${personCode}`];
      const rows = await em.find(OutboxMessage, {
        where: { caseId },
        order: { createdAt: 'ASC' },
      });
      const notices = rows
        .filter((m) => m.noticeKey && keys.includes(m.noticeKey) && m.status !== 'dead')
        .map((m) => ({
          kind: m.noticeKey === 'basis-invitation' ? 'invitation' : 'decision',
          channel: m.channel,
          status: m.status,
          sentAt: m.sentAt,
          deemedNotifiedOn: m.deemedNotifiedOn,
          appealUntil: m.appealUntil,
        }));
      const e = await em.findOne(TimelineEvent, {
        where: { caseId, kind: 'residence.response-period' },
      });
      const period = e ? (e.data as { notifiedOn: string; lastDay: string }) : null;
      return { notices, period };
    });
  }

  /** The annulment of a case the resident is party to (the access policy) and the person it is about (who answers it). */
  private async ownAnnulment(req: Request, caseId: string) {
    await this.access.require(req.user!, caseId, 'party');
    const acc = await this.db.getRepository(Account).findOneBy({ id: req.user!.accountId });
    const a = /^[0-9a-f-]{36}$/i.test(caseId)
      ? await this.residence.findAnnulmentByCase(req.user!.municipalityId!, caseId)
      : null;
    if (!a || !acc?.personalCode || a.personCode !== acc.personalCode)
      throw new DomainError(ErrorCode.NotFound, 'case not found');
    return a;
  }

  private async render(
    req: Request,
    res: Response,
    form: AnnulmentForm,
    errs: ViewErrors | null,
  ): Promise<void> {
    const lang = isLang(req.lang) ? req.lang : 'lv';
    const grounds = (await this.residence.groundsInForce(req.user!.municipalityId!)).map((g) => ({
      code: g.code,
      label: g.label[lang],
      legalReference: g.legalReference,
      selected: g.code === form.groundCode,
    }));
    res.render('modules/residence/views/annulment-new', {
      title: this.i18n.t(req.lang, 'residence:catalogue.annulment'),
      form,
      grounds,
      owner: form.initiatedBy !== 'ex-officio',
      ...(errs ?? { errors: [], fieldErrors: {} }),
    });
  }
}
