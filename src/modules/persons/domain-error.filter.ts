import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, HTTP_STATUS } from '../../platform/errors/domain-error';

/**
 * JSON mapping of DomainError for the persons and simulator APIs. Interim: the lead's global
 * filter (codes → status and translated messages) replaces it; messages here are i18n keys.
 */
@Catch(DomainError)
export class DomainErrorJsonFilter implements ExceptionFilter {
  catch(e: DomainError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    res.status(HTTP_STATUS[e.code]).json({
      error: e.code,
      message: `errors:${e.code}`,
      retryable: e.retryable,
      fields: e.fields,
    });
  }
}
