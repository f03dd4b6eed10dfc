import { textFields } from '../../web/form-values';
import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { CaseAccessService } from '../../cases/case-access.service';
import { DocumentService } from '../../documents/document.service';
import { Account } from '../../platform/accounts/account.entity';
import { Roles } from '../../platform/auth/access.decorators';
import { auditRequestContext } from '../../platform/audit/request-context';
import { CaseFileService } from '../../workspace/case-file.service';
import { staffOf } from '../../workspace/page-support';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { I18nService } from '../../platform/i18n/i18n.service';
import { CERTIFICATE_KINDS } from '../../../activities/residence/certificate.activities';
import { ResidenceCertificatesService } from './residence-certificates.service';
import { viewErrors, type ViewErrors } from './residence.view-errors';

interface CertificateForm {
  kind?: string;
  requesterCode?: string;
  subjectCode?: string;
  addressCode?: string;
}

/** Certificate pages for citizens (/residence/certificates) and for staff at the counter. */
@Controller()
export class ResidenceCertificatesPagesController {
  constructor(
    private readonly certificates: ResidenceCertificatesService,
    private readonly documents: DocumentService,
    private readonly i18n: I18nService,
    private readonly db: DataSource,
    private readonly access: CaseAccessService,
    private readonly caseFiles: CaseFileService,
  ) {}

  @Get('residence/certificates')
  @Roles('citizen')
  citizenForm(@Req() req: Request, @Res() res: Response): void {
    this.render(req, res, {}, null, false, null);
  }

  @Post('residence/certificates')
  @Roles('citizen')
  async citizenIssue(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const form = textFields<CertificateForm>(body);
    const a = await this.db.getRepository(Account).findOneBy({ id: req.user!.accountId });
    if (!a?.personalCode)
      throw new DomainError(
        ErrorCode.Forbidden,
        'a citizen account with a personal code is required',
      );
    await this.issue(req, res, { ...form, requesterCode: a.personalCode }, false);
  }

  @Get('residence/certificates/:caseId/document')
  @Roles('citizen')
  async citizenDownload(
    @Req() req: Request,
    @Res() res: Response,
    @Param('caseId') caseId: string,
  ): Promise<void> {
    const c = await this.access.require(req.user!, caseId, 'party');
    if (c.processKey !== 'residence-certificate')
      throw new DomainError(ErrorCode.NotFound, 'certificate not found');
    await this.sendPdf(res, req.user!.municipalityId!, caseId);
  }

  @Get('workspace/residence/certificates')
  @Roles({ role: 'caseworker', process: 'residence-declaration' }, 'manager')
  staffForm(@Req() req: Request, @Res() res: Response): void {
    this.render(req, res, {}, null, true, null);
  }

  @Post('workspace/residence/certificates')
  @Roles({ role: 'caseworker', process: 'residence-declaration' }, 'manager')
  async staffIssue(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const form = textFields<CertificateForm>(body);
    await this.issue(req, res, form, true);
  }

  @Get('workspace/residence/certificates/:caseId/document')
  @Roles({ role: 'caseworker', process: 'residence-declaration' }, 'manager')
  async staffDownload(
    @Req() req: Request,
    @Res() res: Response,
    @Param('caseId') caseId: string,
  ): Promise<void> {
    const c = await this.access.require(req.user!, caseId, 'read');
    if (c.processKey !== 'residence-certificate')
      throw new DomainError(ErrorCode.NotFound, 'certificate not found');
    // A staff download is a read of the person's data: recorded for the case's parties before it is sent (issue 12 M2).
    await this.sendPdf(res, req.user!.municipalityId!, caseId, (doc) =>
      this.caseFiles.recordDocumentRead(
        staffOf(req),
        caseId,
        doc,
        'certificate issued at the counter',
        auditRequestContext(req),
      ),
    );
  }

  private async issue(
    req: Request,
    res: Response,
    form: CertificateForm,
    staff: boolean,
  ): Promise<void> {
    try {
      const r = await this.certificates.request({
        municipalityId: req.user!.municipalityId!,
        kind: form.kind ?? '',
        requesterCode: form.requesterCode ?? '',
        subjectCode: form.subjectCode,
        addressCode: form.addressCode?.trim(),
        lang: req.lang,
        enteredBy: req.user!.accountId,
        channel: staff ? 'counter' : 'e_service',
      });
      const href = `${staff ? '/workspace' : ''}/residence/certificates/${r.caseId}/document`;
      this.render(req, res, {}, null, staff, {
        registrationNumber: r.document.registrationNumber,
        href,
      });
    } catch (e) {
      res.status(422);
      this.render(req, res, form, viewErrors(this.i18n, req.lang, e), staff, null);
    }
  }

  private async sendPdf(
    res: Response,
    municipalityId: string,
    caseId: string,
    recordRead?: (doc: { id: string; registrationNumber: string }) => Promise<void>,
  ): Promise<void> {
    const [doc] = await this.documents.listForCase(municipalityId, caseId);
    if (!doc) throw new DomainError(ErrorCode.NotFound, 'certificate not found');
    const pdf = await this.documents.pdf(municipalityId, doc.id);
    await recordRead?.(doc);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${doc.fileName}"`);
    res.send(pdf);
  }

  private render(
    req: Request,
    res: Response,
    form: CertificateForm,
    errs: ViewErrors | null,
    staff: boolean,
    issued: { registrationNumber: string; href: string } | null,
  ): void {
    res.render('modules/residence/views/certificates', {
      title: this.i18n.t(req.lang, 'residence:certificates.title'),
      action: staff ? '/workspace/residence/certificates' : '/residence/certificates',
      staff,
      form,
      issued,
      kinds: CERTIFICATE_KINDS.map((k) => ({
        value: k,
        label: this.i18n.t(req.lang, `residence:certificates.kind.${k}`),
        checked: k === form.kind,
      })),
      ...(errs ?? { errors: [], fieldErrors: {} }),
    });
  }
}
