import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CaseAccessService } from '../cases/case-access.service';
import { AuditService } from '../platform/audit/audit.service';
import { Roles } from '../platform/auth/access.decorators';
import { DomainError } from '../platform/errors/domain-error';
import { I18nService, type Lang } from '../platform/i18n/i18n.service';
import { readUpload, UploadRefused } from '../web/uploads';
import {
  fieldErrorsOf,
  flashFrom,
  render,
  staffNav,
  staffOf,
  type StaffUser,
} from '../workspace/page-support';
import { endToEndIdOf, PaymentFilesService } from './payment-files.service';
import { MAX_REPORT_BYTES, PaymentStatusService } from './payment-status.service';
import { PaymentsService } from './payments.service';
import { centsToDecimal } from './sepa-text';

type Errors = { field: string; text: string }[] | null;
const actorOf = (u: StaffUser) => ({ accountId: u.accountId, display: u.displayName });

/**
 * Payment runs for finance staff (the manager role): the runs, a run's lines, its pain.001 and
 * accounting CSV, bank status reports in; and a rejected line's re-issue for the case's caseworker.
 */
@Controller('workspace/payments')
export class PaymentsPagesController {
  constructor(
    private readonly i18n: I18nService,
    private readonly payments: PaymentsService,
    private readonly files: PaymentFilesService,
    private readonly status: PaymentStatusService,
    private readonly access: CaseAccessService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Roles('manager')
  async index(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderIndex(req, res, null);
  }

  @Post('settings')
  @Roles('manager')
  async saveSettings(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const user = staffOf(req);
    const s = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
    try {
      await this.payments.saveSettings(user.municipalityId, {
        debtorName: s('debtorName'),
        debtorIban: s('debtorIban'),
        debtorBic: s('debtorBic').toUpperCase() || null,
        amkCode: s('amkCode') || null,
        ekkCode: s('ekkCode') || null,
        latvianLetters: s('latvianLetters') || 'domestic',
      });
    } catch (e) {
      return this.renderIndex(req, res, fieldErrorsOf(this.i18n, req, e) ?? rethrow(e), body, 422);
    }
    res.redirect(303, '/workspace/payments?done=settingsSaved');
  }

  @Post('runs')
  @Roles('manager')
  async startRun(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const user = staffOf(req);
    try {
      const { run, created } = await this.payments.startRun(user.municipalityId, user.accountId, {
        month: body.month,
        executionDate: body.executionDate,
      });
      res.redirect(
        303,
        `/workspace/payments/runs/${run.id}?done=${created ? 'runCreated' : 'runExists'}`,
      );
    } catch (e) {
      return this.renderIndex(req, res, fieldErrorsOf(this.i18n, req, e) ?? rethrow(e), body, 422);
    }
  }

  @Get('runs/:id')
  @Roles('manager')
  async run(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const user = staffOf(req);
    const run = await this.payments.run(user.municipalityId, id);
    const after = typeof req.query.after === 'string' ? req.query.after : '';
    const lines = await this.payments.lines(user.municipalityId, run.id, { after, limit: 500 });
    await this.audit.record({
      municipalityId: user.municipalityId,
      actor: actorOf(user),
      action: 'payments.run.read',
      subject: { type: 'payment_run', id: run.id },
      purpose: 'payment run review',
      details: { lines: lines.length },
    });
    render(res, 'payments/views/run', {
      title: this.i18n.t(req.lang, 'payments:run.title', { month: run.month }),
      nav: staffNav(this.i18n, req),
      flash: flashFrom(this.i18n, req, 'payments'),
      run: { ...run, total: centsToDecimal(run.totalCents) },
      lines: lines.map((l) => ({
        ...l,
        amount: centsToDecimal(l.amountCents),
        endToEndId: endToEndIdOf(l.id),
        statusText: this.i18n.t(req.lang, `payments:status.${l.status}`),
        reasonText: l.statusReason ? this.reason(req.lang, l.statusReason) : '',
      })),
      next: lines.length === 500 ? lines[lines.length - 1].id : null,
    });
  }

  @Get('runs/:id/pain001')
  @Roles('manager')
  async pain001(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const user = staffOf(req);
    const file = await this.files.pain001(user.municipalityId, id);
    await this.exported(user, id, 'pain001');
    res.setHeader('Content-Type', 'application/xml; charset=utf-8');
    res.download(file.path, file.fileName, () => void file.dispose());
  }

  @Get('runs/:id/csv')
  @Roles('manager')
  async csv(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const user = staffOf(req);
    const run = await this.payments.run(user.municipalityId, id);
    await this.exported(user, run.id, 'csv');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${run.msgId}.csv"`);
    await this.files.csv(user.municipalityId, run.id, res);
  }

  @Post('status-reports')
  @Roles('manager')
  async importReport(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = staffOf(req);
    try {
      const { files } = await readUpload(req, res, {
        field: 'file',
        maxFiles: 1,
        maxFileBytes: MAX_REPORT_BYTES,
        maxFields: 5,
        maxFieldBytes: 1024,
      }).catch((e: unknown) => {
        if (e instanceof UploadRefused)
          throw DomainError.validation([{ field: 'file', message: 'payments:errors.fileSize' }]);
        throw e;
      });
      if (files.length !== 1)
        throw DomainError.validation([{ field: 'file', message: 'payments:errors.fileRequired' }]);
      const result = await this.status.importReport(
        user.municipalityId,
        actorOf(user),
        files[0].buffer,
      );
      res.redirect(
        303,
        `/workspace/payments/runs/${result.runId}?done=${result.duplicate ? 'reportRepeated' : 'reportImported'}`,
      );
    } catch (e) {
      return this.renderIndex(req, res, fieldErrorsOf(this.i18n, req, e) ?? rethrow(e), {}, 422);
    }
  }

  @Get('lines/:id')
  @Roles('caseworker', 'manager')
  async line(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    await this.renderLine(req, res, id, null, {});
  }

  @Post('lines/:id/reissue')
  @Roles('caseworker', 'manager')
  async reissue(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const user = staffOf(req);
    const line = await this.payments.line(user.municipalityId, id);
    await this.access.require(user, line.caseId, 'handle');
    try {
      const created = await this.status.reissue(user.municipalityId, actorOf(user), id, body);
      res.redirect(303, `/workspace/payments/lines/${created.id}?done=reissued`);
    } catch (e) {
      return this.renderLine(
        req,
        res,
        id,
        fieldErrorsOf(this.i18n, req, e) ?? rethrow(e),
        body,
        422,
      );
    }
  }

  private async renderLine(
    req: Request,
    res: Response,
    id: string,
    errors: Errors,
    values: Record<string, unknown>,
    statusCode = 200,
  ): Promise<void> {
    const user = staffOf(req);
    const line = await this.payments.line(user.municipalityId, id);
    await this.access.require(user, line.caseId, 'read');
    await this.audit.record({
      municipalityId: user.municipalityId,
      actor: actorOf(user),
      action: 'payments.line.read',
      subject: { type: 'payment_line', id: line.id },
      purpose: 'payment line review',
    });
    render(
      res,
      'payments/views/line',
      {
        title: this.i18n.t(req.lang, 'payments:line.title'),
        nav: staffNav(this.i18n, req),
        flash: flashFrom(this.i18n, req, 'payments'),
        line: {
          ...line,
          amount: centsToDecimal(line.amountCents),
          endToEndId: endToEndIdOf(line.id),
          statusText: this.i18n.t(req.lang, `payments:status.${line.status}`),
          reasonText: line.statusReason ? this.reason(req.lang, line.statusReason) : '',
        },
        canReissue: line.status === 'rejected',
        errors: errors ?? [],
        errorFor: Object.fromEntries((errors ?? []).map((e) => [e.field, e.text])),
        values,
      },
      statusCode,
    );
  }

  private async renderIndex(
    req: Request,
    res: Response,
    errors: Errors,
    values: Record<string, unknown> = {},
    statusCode = 200,
  ): Promise<void> {
    const user = staffOf(req);
    const [runs, settings, rejected] = await Promise.all([
      this.payments.runs(user.municipalityId),
      this.payments.settingsOrNull(user.municipalityId),
      this.payments.rejected(user.municipalityId),
    ]);
    render(
      res,
      'payments/views/payments',
      {
        title: this.i18n.t(req.lang, 'payments:title'),
        nav: staffNav(this.i18n, req),
        flash: flashFrom(this.i18n, req, 'payments'),
        runs: runs.map((r) => ({ ...r, total: centsToDecimal(r.totalCents) })),
        rejected: rejected.map((l) => ({
          ...l,
          amount: centsToDecimal(l.amountCents),
          reasonText: l.statusReason ? this.reason(req.lang, l.statusReason) : '',
        })),
        account: settings,
        errors: errors ?? [],
        errorFor: Object.fromEntries((errors ?? []).map((e) => [e.field, e.text])),
        values: { ...(settings ?? {}), ...values },
      },
      statusCode,
    );
  }

  /** An ISO reason code in the reader's language (known codes), else the code itself. */
  private reason(lang: Lang, code: string): string {
    const key = `payments:reason.${code}`;
    return this.i18n.has(lang, key) ? `${code}: ${this.i18n.t(lang, key)}` : code;
  }

  private async exported(user: StaffUser, runId: string, format: string): Promise<void> {
    await this.audit.record({
      municipalityId: user.municipalityId,
      actor: actorOf(user),
      action: 'payments.run.export',
      subject: { type: 'payment_run', id: runId },
      purpose: 'payment to the bank and accounting',
      details: { format },
    });
  }
}

function rethrow(e: unknown): never {
  throw e;
}
