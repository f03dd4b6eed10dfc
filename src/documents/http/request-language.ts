import type { Response } from 'express';
import { DOCUMENT_LANGUAGES, type DocumentLanguage } from '../templates/template-registry';

/** The document language of the page being answered (the request's UI language, else lv). */
export const requestLanguage = (res: Response): DocumentLanguage => {
  const l = res.locals.lang as string | undefined;
  return (DOCUMENT_LANGUAGES as readonly string[]).includes(l ?? '')
    ? (l as DocumentLanguage)
    : 'lv';
};
