import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, HTTP_STATUS } from '../../platform/errors/domain-error';

/**
 * Maps DomainError to JSON `{ code, message, fields }` with the code's HTTP status.
 * LEAD: replace with the global platform filter (which also translates messages) when it lands.
 */
@Catch(DomainError)
export class DomainErrorJsonFilter implements ExceptionFilter {
  catch(e: DomainError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    res.status(HTTP_STATUS[e.code]).json({ code: e.code, message: e.message, fields: e.fields });
  }
}
