import { Controller, Get, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public, Roles } from '../platform/auth/access.decorators';
import { I18nService } from '../platform/i18n/i18n.service';

/** The citizen portal home and the staff workspace home. */
@Controller()
export class WebController {
  constructor(private readonly i18n: I18nService) {}

  @Get()
  @Public()
  @Render('web/views/pages/portal-home')
  portal(@Req() req: Request) {
    return { title: this.i18n.t(req.lang, 'common:portal.title'), services: [] };
  }

  @Get('workspace')
  @Roles('caseworker', 'manager', 'council_secretary', 'deputy', 'administrator')
  @Render('web/views/pages/workspace-home')
  workspace(@Req() req: Request) {
    return { title: this.i18n.t(req.lang, 'common:workspace.title') };
  }
}
