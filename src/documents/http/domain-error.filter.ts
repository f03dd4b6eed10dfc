import type { Response } from 'express';
import { DOCUMENT_LANGUAGES, type DocumentLanguage } from '../templates/template-registry';

// DomainErrors of this area's JSON routes go to the global HttpErrorFilter (src/web), which
// translates them like every other route; this file keeps the language helper its pages use.
export const requestLanguage = (res: Response): DocumentLanguage => {
  const l = res.locals.lang as string | undefined;
  return (DOCUMENT_LANGUAGES as readonly string[]).includes(l ?? '')
    ? (l as DocumentLanguage)
    : 'lv';
};
