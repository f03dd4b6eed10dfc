import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { I18nService } from '../../../platform/i18n/i18n.service';

/**
 * Applications are open by default; an installation that does not run the service yet switches
 * them off (SOCIAL_ASSISTANCE_APPLICATIONS=off) and every application page answers "not open"
 * (404, in the user's language).
 */
@Injectable()
export class ApplicationsOpenMiddleware implements NestMiddleware {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly i18n: I18nService,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (this.config.SOCIAL_ASSISTANCE_APPLICATIONS !== 'off') return next();
    const heading = this.i18n.t(req.lang, 'social-assistance-application:notOffered.title');
    res.status(404).render('web/views/pages/error', {
      title: heading,
      heading,
      message: this.i18n.t(req.lang, 'social-assistance-application:notOffered.message'),
      errors: [],
    });
  }
}
