import type { Request, Response } from 'express';
import type { I18nService } from '../../platform/i18n/i18n.service';
import type { ResidenceFeesService } from './residence-fees.service';

/**
 * Where the municipality does not offer residence declarations (no parameters in force, e.g. a
 * Greek municipality), renders "not offered" (404) and returns true; otherwise returns false.
 */
export async function renderIfNotOffered(fees: ResidenceFeesService, i18n: I18nService, req: Request, res: Response): Promise<boolean> {
  if (await fees.offered(req.user!.municipalityId!)) return false;
  const heading = i18n.t(req.lang, 'residence:notOffered.title');
  res.status(404).render('web/views/pages/error', { title: heading, heading, message: i18n.t(req.lang, 'residence:notOffered.message'), errors: [] });
  return true;
}
