import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { I18nService } from '../../../platform/i18n/i18n.service';

/**
 * Until the social-assistance process runs the applications (issue 15), a submitted application
 * would start no case. So the application pages answer "not offered yet" (404, in the user's
 * language) unless the installation opens them as a preview (SOCIAL_ASSISTANCE_APPLICATIONS).
 */
@Injectable()
export class ApplicationsOpenMiddleware implements NestMiddleware {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly i18n: I18nService,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (this.config.SOCIAL_ASSISTANCE_APPLICATIONS === 'preview') return next();
    const heading = this.i18n.t(req.lang, 'social-assistance-application:notOffered.title');
    res.status(404).render('web/views/pages/error', {
      title: heading,
      heading,
      message: this.i18n.t(req.lang, 'social-assistance-application:notOffered.message'),
      errors: [],
    });
  }
}
