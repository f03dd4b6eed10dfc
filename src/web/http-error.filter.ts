import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Request, Response } from 'express';
import {
  DomainError,
  ErrorCode,
  HTTP_STATUS,
  type FieldError,
} from '../platform/errors/domain-error';
import { I18nService, isLang, type Lang } from '../platform/i18n/i18n.service';
import { safeUrl } from '../platform/logging/redact';
import { closeIfBodyUnread } from './body-limits';
import { formErrorPageOf, type FormErrorPage } from './form-error-page';

const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  413: ErrorCode.PayloadTooLarge,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  422: ErrorCode.ValidationFailed,
  429: ErrorCode.RateLimited,
};

/**
 * The one JSON error body of every route (documented in docs/security.md, "Errors"): `code` (also
 * as `error`) is the ErrorCode, `message` the translated text, `fields` each refused field with
 * its translated message, `requestId` the X-Request-Id the details are logged under.
 */
export interface ErrorBody {
  error: ErrorCode;
  code: ErrorCode;
  message: string;
  retryable: boolean;
  fields: { field: string; message: string }[];
  requestId: string;
}

/**
 * The one place errors become HTTP: domain codes map to a status and a message in the user's
 * language; /api and JSON clients get the ErrorBody, browsers get an error page, or the form they
 * submitted again with each field's error in place when its controller says so (RendersFormErrors).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('HttpErrorFilter');
  constructor(
    private readonly i18n: I18nService,
    private readonly modules: ModuleRef,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const lang: Lang = isLang(req.lang) ? req.lang : 'lv';
    const { status, code, fields } = this.classify(exception);
    const requestId = String(res.getHeader('X-Request-Id') ?? '');
    // The details of a server error go to the log only, under the request id the user is shown (issue 12 L3).
    if (status >= 500)
      this.log.error(
        { err: exception, url: safeUrl(req.originalUrl), requestId },
        'request failed',
      );
    if (res.headersSent) return;
    // A refused upload is not read to its end (a non-owner's 20 MB costs no more than its headers).
    closeIfBodyUnread(req, res);
    const serverError = status >= 500;
    const message = serverError
      ? this.i18n.t(lang, `errors:${code}`)
      : this.message(lang, exception, code);
    const errors = serverError
      ? []
      : fields.map((f) => ({ field: f.field, text: this.fieldText(lang, f) }));
    const wantsJson = req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json';
    if (code === ErrorCode.Unauthenticated && !wantsJson && req.method === 'GET') {
      // A browser asking for a protected page goes to sign-in and comes back afterwards.
      const expired =
        exception instanceof DomainError && exception.params.reason === 'expired'
          ? '&expired=1'
          : '';
      res.redirect(303, `/auth/sign-in?returnTo=${encodeURIComponent(req.originalUrl)}${expired}`);
      return;
    }
    if (
      exception instanceof DomainError &&
      exception.params.reason === 'second_factor' &&
      !wantsJson &&
      req.method === 'GET'
    ) {
      // An administrator without a second factor is sent to set one up, and comes back afterwards.
      res.redirect(303, `/auth/two-factor?returnTo=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    if (exception instanceof DomainError && typeof exception.params.retryAfter === 'number')
      res.setHeader('Retry-After', String(exception.params.retryAfter));
    res.status(status);
    if (wantsJson) {
      // The same translated texts as the page: API clients never see i18n keys.
      const body: ErrorBody = {
        error: code,
        code,
        message,
        retryable: exception instanceof DomainError && exception.retryable,
        fields: errors.map((f) => ({ field: f.field, message: f.text })),
        requestId,
      };
      res.json(body);
      return;
    }
    const form = exception instanceof DomainError && !serverError ? this.formPage(res) : undefined;
    if (form) {
      const { view, model } = form.render(
        req,
        res,
        errors.map((f) => ({ ...f, href: `#${f.field}` })),
      );
      res.render(view, model);
      return;
    }
    const titleKey = `errors:title.${status}`;
    res.render('web/views/pages/error', {
      title: this.i18n.has(lang, titleKey)
        ? this.i18n.t(lang, titleKey)
        : this.i18n.t(lang, 'errors:title.500'),
      heading: this.i18n.has(lang, titleKey)
        ? this.i18n.t(lang, titleKey)
        : this.i18n.t(lang, 'errors:title.500'),
      message,
      errors,
      requestId,
    });
  }

  /** The form page the failed route's controller names (RendersFormErrors), if any. */
  private formPage(res: Response): FormErrorPage | undefined {
    const page = formErrorPageOf(res);
    return page ? this.modules.get(page, { strict: false }) : undefined;
  }

  /** A DomainError may name its own message key (`params.key`, e.g. `documents:verify.notFound`). */
  private message(lang: Lang, e: unknown, code: ErrorCode): string {
    const key = e instanceof DomainError ? e.params.key : undefined;
    if (typeof key === 'string' && this.i18n.has('lv', key))
      return this.i18n.t(lang, key, e instanceof DomainError ? e.params : {});
    return this.i18n.t(lang, `errors:${code}`);
  }

  /** A field's message key in the user's language; a key without a translation gets a generic text. */
  private fieldText(lang: Lang, f: FieldError): string {
    if (this.i18n.has(lang, f.message) || this.i18n.has('lv', f.message))
      return this.i18n.t(lang, f.message, f.params ?? {});
    return this.i18n.t(lang, 'errors:fieldInvalid');
  }

  private classify(e: unknown): { status: number; code: ErrorCode; fields: DomainError['fields'] } {
    if (e instanceof DomainError)
      return { status: HTTP_STATUS[e.code], code: e.code, fields: e.fields };
    if (e instanceof HttpException) {
      const status = e.getStatus();
      return {
        status,
        code:
          CODE_FOR_STATUS[status] ??
          (status < 500 ? ErrorCode.ValidationFailed : ErrorCode.Internal),
        fields: [],
      };
    }
    const status = clientErrorStatus(e);
    if (status)
      return { status, code: CODE_FOR_STATUS[status] ?? ErrorCode.ValidationFailed, fields: [] };
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: ErrorCode.Internal, fields: [] };
  }
}

/**
 * The 4xx status of an http-errors error that Express middleware passed on (body-parser: 413 too
 * large, 400 aborted or malformed, 415 unsupported charset): the client's fault, not a 500.
 */
function clientErrorStatus(e: unknown): number | null {
  if (!e || typeof e !== 'object') return null;
  const { status, statusCode, expose } = e as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
  };
  const s = typeof status === 'number' ? status : statusCode;
  return typeof s === 'number' && s >= 400 && s < 500 && expose !== false ? s : null;
}
