import {
  Controller,
  Get,
  Injectable,
  Param,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { DocumentsI18n } from '../documents-i18n';
import { normaliseVerificationCode } from '../verification-code';
import {
  DocumentVerificationService,
  type PublicVerification,
} from '../verification/document-verification.service';
import {
  RendersFormErrors,
  type FormErrorPage,
  type PageFieldError,
} from '../../web/form-error-page';
import { requestLanguage } from './request-language';
import { PdfUploadInterceptor } from './pdf-upload.interceptor';
import { CsrfExempt, Public } from '../../platform/auth/access.decorators';

const FORM_VIEW = 'documents/views/verify';
const RESULT_VIEW = 'documents/views/verify-result';

/** A refused submission (not a PDF, too large, no file) shows the verification form again with the reason. */
@Injectable()
export class VerifyFormErrorPage implements FormErrorPage {
  constructor(
    private readonly i18n: DocumentsI18n,
    private readonly upload: PdfUploadInterceptor,
  ) {}

  render(
    req: Request,
    res: Response,
    errors: PageFieldError[],
  ): { view: string; model: Record<string, unknown> } {
    const lang = requestLanguage(res);
    return {
      view: FORM_VIEW,
      model: {
        title: this.i18n.t(lang, 'verify.title'),
        maxMb: Math.round(this.upload.maxBytes / 1024 / 1024),
        errors,
        fileError: errors.find((x) => x.field === 'file')?.text,
        csrfToken: (req as Request & { csrfToken?: () => string }).csrfToken?.(),
      },
    };
  }
}

/** Public verification pages (no login). Render title + body; the layout comes from the shell. */
@Controller('verify')
@Public()
@RendersFormErrors(VerifyFormErrorPage)
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
