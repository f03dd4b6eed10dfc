import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '../../platform/errors/domain-error';
import { TemplatePreviewService } from '../template-preview.service';
import { Roles } from '../../platform/auth/access.decorators';

/**
 * Administrators preview a template with its sample data: GET
 * /admin/templates/<process>/<doc>/preview?lang=lv|en|el&format=html|pdf.
 * Requires the administrator role (the platform's access guard).
 */
@Controller('admin/templates')
@Roles('administrator')
export class TemplatePreviewController {
  constructor(private readonly previews: TemplatePreviewService) {}

  @Get(':process/:doc/preview')
  async preview(
    @Param('process') process: string,
    @Param('doc') doc: string,
    @Query('lang') lang: string | undefined,
    @Query('format') format: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    if (format !== undefined && format !== 'html' && format !== 'pdf') {
      throw DomainError.validation([
        { field: 'format', message: 'documents:validation.invalidFormatParam' },
      ]);
    }
    const user = res.locals.user as { municipalityId?: string } | undefined;
    const out = await this.previews.preview(
      `${process}/${doc}`,
      lang ?? 'lv',
      format ?? 'html',
      user?.municipalityId,
    );
    // The preview is a standalone document; it must not load anything either.
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
    );
    res.type(out.contentType).send(out.body);
  }
}
