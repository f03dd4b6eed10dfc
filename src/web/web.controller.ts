import { Controller, Get, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '../platform/auth/access.decorators';
import { I18nService } from '../platform/i18n/i18n.service';
import { portalNav } from '../portal/portal-nav';
import { ProcessRegistry } from '../processes/process-registry';

/** The citizen portal home (the workspace home is the inbox, in src/workspace). */
@Controller()
export class WebController {
  constructor(
    private readonly i18n: I18nService,
    private readonly processes: ProcessRegistry,
  ) {}

  @Get()
  @Public()
  @Render('web/views/pages/portal-home')
  portal(@Req() req: Request) {
    return {
      title: this.i18n.t(req.lang, 'common:portal.title'),
      // A signed-in resident finds their cases from the home page they land on after signing in.
      nav: portalNav(this.i18n, req, ''),
      services: this.processes
        .services()
        .map((s) => ({ href: `/services/${s.key}`, name: this.i18n.t(req.lang, s.name) })),
    };
  }
}
