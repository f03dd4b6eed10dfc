import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode, HTTP_STATUS } from '../platform/errors/domain-error';
import { I18nService, isLang, type Lang } from '../platform/i18n/i18n.service';

const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  422: ErrorCode.ValidationFailed,
  429: ErrorCode.RateLimited,
};

/**
 * The one place errors become HTTP: domain codes map to a status and a message in the user's
 * language; /api and JSON clients get JSON, browsers get an error page.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('HttpErrorFilter');
  constructor(private readonly i18n: I18nService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const lang: Lang = isLang(req.lang) ? req.lang : 'lv';
    const { status, code, fields } = this.classify(exception);
    if (status >= 500) this.log.error({ err: exception, url: req.url }, 'request failed');
    if (res.headersSent) return;
    const message = this.i18n.t(lang, `errors:${code}`);
    const errors = fields.map((f) => ({ field: f.field, text: this.i18n.t(lang, f.message, f.params ?? {}) }));
    const requestId = String(res.getHeader('X-Request-Id') ?? '');
    const wantsJson = req.path.startsWith('/api/') || (req.accepts(['html', 'json']) === 'json');
    if (code === ErrorCode.Unauthenticated && !wantsJson && req.method === 'GET') {
      // A browser asking for a protected page goes to sign-in and comes back afterwards.
      const expired = exception instanceof DomainError && exception.params.reason === 'expired' ? '&expired=1' : '';
      res.redirect(303, `/auth/sign-in?returnTo=${encodeURIComponent(req.originalUrl)}${expired}`);
      return;
    }
    res.status(status);
    if (wantsJson) {
      res.json({ error: code, message, fields: errors, requestId });
      return;
    }
    const titleKey = `errors:title.${status}`;
    res.render('web/views/pages/error', {
      title: this.i18n.has(lang, titleKey) ? this.i18n.t(lang, titleKey) : this.i18n.t(lang, 'errors:title.500'),
      heading: this.i18n.has(lang, titleKey) ? this.i18n.t(lang, titleKey) : this.i18n.t(lang, 'errors:title.500'),
      message,
      errors,
      requestId,
    });
  }

  private classify(e: unknown): { status: number; code: ErrorCode; fields: DomainError['fields'] } {
    if (e instanceof DomainError) return { status: HTTP_STATUS[e.code], code: e.code, fields: e.fields };
    if (e instanceof HttpException) {
      const status = e.getStatus();
      return { status, code: CODE_FOR_STATUS[status] ?? ErrorCode.Internal, fields: [] };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: ErrorCode.Internal, fields: [] };
  }
}
