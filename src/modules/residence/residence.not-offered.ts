import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { I18nService } from '../../platform/i18n/i18n.service';
import { ResidenceFeesService } from './residence-fees.service';

/**
 * Where the municipality does not offer residence declarations (no parameters in force, e.g. a
 * Greek municipality), every residence page answers "not offered" (404, in the user's language)
 * instead of a form that cannot be submitted or a list of another country's register.
 */
@Injectable()
export class ResidenceOfferedMiddleware implements NestMiddleware {
  constructor(
    private readonly fees: ResidenceFeesService,
    private readonly i18n: I18nService,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const municipalityId = req.user?.municipalityId;
    if (!municipalityId) return next();
    this.fees.offered(municipalityId).then((offered) => {
      if (offered) return next();
      const heading = this.i18n.t(req.lang, 'residence:notOffered.title');
      res.status(404).render('web/views/pages/error', {
        title: heading,
        heading,
        message: this.i18n.t(req.lang, 'residence:notOffered.message'),
        errors: [],
      });
    }, next);
  }
}
