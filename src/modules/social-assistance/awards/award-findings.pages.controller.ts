import { SocialAssistanceCalculatorService } from '../social-assistance-calculator.service';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PersonDataReads } from '../../../persons/person-data-reads';
import { PersonalCodePolicy } from '../../../persons/personal-code-policy';
import { Roles } from '../../../platform/auth/access.decorators';
import { DomainError, ErrorCode } from '../../../platform/errors/domain-error';
import { I18nService } from '../../../platform/i18n/i18n.service';
import { staffOf } from '../../../workspace/page-support';
import { viewErrors, type ViewErrors } from '../../residence/residence.view-errors';
import { SOCIAL_ASSISTANCE_STAFF } from '../social-assistance.access';
import { AwardFindingsService, type FindingRow } from './award-findings.service';

const NS = 'social-assistance:findings';

/**
 * The integrity monitor's findings for the caseworkers: the open ones (workspace list), and one
 * finding's page (the task's page) where the award is stopped from a date with reasons or the
 * finding dismissed. Every page showing holders' codes is an audited read of their data.
 */
@Controller('workspace/social-assistance/findings')
@Roles(...SOCIAL_ASSISTANCE_STAFF)
export class AwardFindingsPagesController {
  constructor(
    private readonly findings: AwardFindingsService,
    private readonly reads: PersonDataReads,
    private readonly i18n: I18nService,
    private readonly calculator: SocialAssistanceCalculatorService,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = staffOf(req);
    // Social assistance is offered where its rules exist (Latvia): elsewhere 404, as the menu says.
    await this.calculator.assertOffered(user.municipalityId);
    const rows = await this.findings.list(user.municipalityId);
    await this.audit(
      req,
      rows,
      { type: 'social_assistance_findings', id: 'open' },
      'findings list',
    );
    const codes = PersonalCodePolicy.for(req.user);
    res.render('modules/social-assistance/views/findings', {
      title: this.i18n.t(req.lang, `${NS}.title`),
      rows: rows.map((r) => this.row(req, r, codes)),
    });
  }

  @Get(':id')
  async page(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
  ): Promise<void> {
    await this.render(req, res, id, {}, { errors: [], fieldErrors: {} });
  }

  @Post(':id/stop')
  stop(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    return this.resolve(req, res, id, body, 'stopped', (f) => f);
  }

  @Post(':id/dismiss')
  dismiss(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    return this.resolve(req, res, id, body, 'dismissed', (f) =>
      f === 'reasons' ? 'dismissReasons' : f,
    );
  }

  /**
   * Stops the award or dismisses the finding, then shows the finding again; bad input shows the page
   * with the errors at the form's fields (`field` names them as the page does), and changes nothing.
   */
  private async resolve(
    req: Request,
    res: Response,
    id: string,
    body: Record<string, unknown>,
    done: 'stopped' | 'dismissed',
    field: (name: string) => string,
  ): Promise<void> {
    const user = staffOf(req);
    try {
      if (done === 'stopped') await this.findings.stop(user, id, body);
      else await this.findings.dismiss(user, id, body);
      res.redirect(303, `/workspace/social-assistance/findings/${id}?done=${done}`);
    } catch (e) {
      if (e instanceof DomainError && e.code === ErrorCode.NotFound) throw e;
      res.status(422);
      await this.render(req, res, id, body, viewErrors(this.i18n, req.lang, e, field));
    }
  }

  private async render(
    req: Request,
    res: Response,
    id: string,
    values: Record<string, unknown>,
    errs: ViewErrors,
  ): Promise<void> {
    const user = staffOf(req);
    const r = await this.findings.get(user.municipalityId, id);
    await this.audit(req, [r], { type: 'social_assistance_finding', id }, 'integrity finding');
    const codes = PersonalCodePolicy.for(req.user);
    const done = typeof req.query.done === 'string' ? req.query.done : '';
    res.render('modules/social-assistance/views/finding', {
      title: this.i18n.t(req.lang, `${NS}.kind.${r.finding.kind}`),
      f: this.row(req, r, codes),
      open: r.finding.status === 'open',
      done:
        done === 'stopped' || done === 'dismissed'
          ? this.i18n.t(req.lang, `${NS}.done.${done}`)
          : '',
      values: {
        stoppedOn: typeof values.stoppedOn === 'string' ? values.stoppedOn : '',
        reasons: typeof values.reasons === 'string' ? values.reasons : '',
      },
      ...errs,
    });
  }

  private row(req: Request, r: FindingRow, codes: PersonalCodePolicy) {
    const t = (k: string, p?: Record<string, unknown>) => this.i18n.t(req.lang, k, p ?? {});
    const d = r.finding.details;
    return {
      id: r.finding.id,
      caseId: r.finding.caseId,
      caseNumber: r.caseNumber,
      kind: t(`${NS}.kind.${r.finding.kind}`),
      detail: t(`${NS}.detail.${r.finding.kind}`, {
        date: d.deceasedOn ?? d.since ?? '',
        municipality: d.municipality ?? '',
        benefit: d.benefit ? t(`${NS}.benefit.${String(d.benefit)}`) : '',
        from: d.periodFrom ?? '',
        to: d.periodTo ?? '',
        member: d.member ?? '',
      }),
      holder: codes.text(r.award.holderCode),
      member:
        r.finding.personCode && r.finding.personCode !== r.award.holderCode
          ? `${String(d.member ?? '')} (${codes.text(r.finding.personCode)})`
          : '',
      status: t(`social-assistance:status.${r.award.status}`),
      period: `${r.award.validFrom} – ${r.award.validUntil}`,
      awardState: t(`social-assistance:award.stateName.${r.award.state}`),
      stoppedOn: r.award.stoppedOn ?? '',
      foundOn: r.finding.foundOn,
      findingStatus: t(`${NS}.status.${r.finding.status}`),
      resolution: r.finding.resolution ?? '',
    };
  }

  private async audit(
    req: Request,
    rows: FindingRow[],
    subject: { type: string; id: string },
    purpose: string,
  ): Promise<void> {
    if (!rows.length) return;
    const user = staffOf(req);
    await this.reads.record(
      {
        municipalityId: user.municipalityId,
        actor: { accountId: user.accountId, display: user.displayName },
        action: 'social_assistance_finding.read',
        subject,
        purpose,
        requestId: typeof req.id === 'string' ? req.id : null,
        ip: req.ip ?? null,
      },
      [...new Set(rows.flatMap((r) => [r.award.holderCode, r.finding.personCode]))].filter(Boolean),
    );
  }
}
