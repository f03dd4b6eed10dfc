import {
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import type { Response } from 'express';
import {
  DocumentVerificationService,
  type PublicVerification,
} from '../verification/document-verification.service';
import { PdfUploadInterceptor } from './pdf-upload.interceptor';
import { CsrfExempt, Public } from '../../platform/auth/access.decorators';

/** Public JSON API (no login): is a document genuine, who issued it and when. */
@Controller('api/verify')
@Public()
export class VerifyApiController {
  constructor(private readonly verification: DocumentVerificationService) {}

  @Get(':code')
  async byCode(
    @Param('code') code: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublicVerification> {
    const result = await this.verification.byCode(code);
    if (!result.found) res.status(404);
    return result;
  }

  @Post()
  @CsrfExempt()
  @HttpCode(200)
  @UseInterceptors(PdfUploadInterceptor)
  byUpload(@UploadedFile() file: Express.Multer.File | undefined): Promise<PublicVerification> {
    return this.verification.byUpload(file?.buffer);
  }
}
