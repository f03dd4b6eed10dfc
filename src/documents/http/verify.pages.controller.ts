import {
  ArgumentsHost,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  Injectable,
  Param,
  Post,
  Query,
  Res,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, HTTP_STATUS } from '../../platform/errors/domain-error';
import { I18nService } from '../../platform/i18n/i18n.service';
import { DocumentsI18n } from '../documents-i18n';
import { normaliseVerificationCode } from '../verification-code';
import {
  DocumentVerificationService,
  type PublicVerification,
} from '../verification/document-verification.service';
import { closeIfBodyUnread } from '../../web/body-limits';
import { requestLanguage } from './domain-error.filter';
import { PdfUploadInterceptor } from './pdf-upload.interceptor';
import { CsrfExempt, Public } from '../../platform/auth/access.decorators';

const FORM_VIEW = 'documents/views/verify';
const RESULT_VIEW = 'documents/views/verify-result';

/** Re-renders the verification form with the reason a submission was refused. */
@Catch(DomainError)
@Injectable()
export class VerifyFormErrorFilter implements ExceptionFilter {
  constructor(
    private readonly i18n: DocumentsI18n,
    private readonly upload: PdfUploadInterceptor,
    private readonly texts: I18nService,
  ) {}

  catch(e: DomainError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const lang = requestLanguage(res);
    closeIfBodyUnread(req, res);
    const errors = e.fields.map((f) => ({
      field: f.field,
      // Field keys come from any namespace (`errors:fieldOnce` from the request checks too).
      text: this.texts.t(lang, f.message, f.params ?? {}),
      href: `#${f.field}`,
    }));
    res.status(HTTP_STATUS[e.code]).render(FORM_VIEW, {
      title: this.i18n.t(lang, 'verify.title'),
      maxMb: Math.round(this.upload.maxBytes / 1024 / 1024),
      errors,
      fileError: errors.find((x) => x.field === 'file')?.text,
      csrfToken: (req as Request & { csrfToken?: () => string }).csrfToken?.(),
    });
  }
}

/** Public verification pages (no login). Render title + body; the layout comes from the shell. */
@Controller('verify')
@Public()
@UseFilters(VerifyFormErrorFilter)
export class VerifyPagesController {
  constructor(
    private readonly verification: DocumentVerificationService,
    private readonly i18n: DocumentsI18n,
    private readonly upload: PdfUploadInterceptor,
  ) {}

  @Get()
  form(@Query('code') code: string | undefined, @Res() res: Response): void {
    const normalised = code ? normaliseVerificationCode(code) : null;
    if (normalised) return res.redirect(303, `/verify/${normalised}`);
    const lang = requestLanguage(res);
    const codeError = code ? this.i18n.t(lang, 'verify.notFound') : undefined;
    res.status(code ? 404 : 200).render(FORM_VIEW, {
      title: this.i18n.t(lang, 'verify.title'),
      maxMb: Math.round(this.upload.maxBytes / 1024 / 1024),
      code,
      codeError,
      errors: codeError ? [{ text: codeError, href: '#code' }] : undefined,
    });
  }

  @Get(':code')
  async byCode(@Param('code') code: string, @Res() res: Response): Promise<void> {
    this.result(res, await this.verification.byCode(code), true);
  }

  @Post()
  @CsrfExempt()
  @UseInterceptors(PdfUploadInterceptor)
  async byUpload(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Res() res: Response,
  ): Promise<void> {
    this.result(res, await this.verification.byUpload(file?.buffer), false);
  }

  private result(res: Response, v: PublicVerification, byCode: boolean): void {
    const lang = requestLanguage(res);
    res.status(v.found ? 200 : 404).render(RESULT_VIEW, {
      title: this.i18n.t(lang, 'verify.resultTitle'),
      v,
      byCode,
      genuine: v.found && v.seal === 'valid' && v.unmodified === true,
      kind: v.document ? this.i18n.t(lang, v.document.titleKey) : undefined,
      issuedAt: v.document
        ? new Intl.DateTimeFormat({ lv: 'lv-LV', en: 'en-GB', el: 'el-GR' }[lang], {
            dateStyle: 'long',
            timeStyle: 'short',
            timeZone: 'Europe/Riga',
          }).format(new Date(v.document.issuedAt))
        : undefined,
    });
  }
}
