import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, HTTP_STATUS } from '../../platform/errors/domain-error';
import { DocumentsI18n } from '../documents-i18n';
import { DOCUMENT_LANGUAGES, type DocumentLanguage } from '../templates/template-registry';

export const requestLanguage = (res: Response): DocumentLanguage => {
  const l = res.locals.lang as string | undefined;
  return (DOCUMENT_LANGUAGES as readonly string[]).includes(l ?? '')
    ? (l as DocumentLanguage)
    : 'lv';
};

/**
 * Maps DomainErrors from this area's JSON routes to status + translated messages. Stands in until
 * the platform's global filter exists; it follows the same contract (code → status, i18n messages).
 */
@Catch(DomainError)
@Injectable()
export class DocumentsErrorFilter implements ExceptionFilter {
  constructor(private readonly i18n: DocumentsI18n) {}

  catch(e: DomainError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const lang = requestLanguage(res);
    const key = typeof e.params.key === 'string' ? e.params.key : `errors.${e.code}`;
    res.status(HTTP_STATUS[e.code]).json({
      code: e.code,
      message: this.i18n.t(lang, key, e.params),
      fields: e.fields.map((f) => ({
        field: f.field,
        message: this.i18n.t(lang, f.message, f.params ?? {}),
        key: f.message,
      })),
    });
  }
}
