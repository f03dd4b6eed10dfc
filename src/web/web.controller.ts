import { Controller, Get, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '../platform/auth/access.decorators';
import { I18nService } from '../platform/i18n/i18n.service';
import { listServices } from '../workspace/catalogue';

/** The citizen portal home (the workspace home is the inbox, in src/workspace). */
@Controller()
export class WebController {
  constructor(private readonly i18n: I18nService) {}

  @Get()
  @Public()
  @Render('web/views/pages/portal-home')
  portal(@Req() req: Request) {
    return {
      title: this.i18n.t(req.lang, 'common:portal.title'),
      services: listServices().map((s) => ({ href: `/services/${s.key}`, name: this.i18n.t(req.lang, s.name) })),
    };
  }
}
