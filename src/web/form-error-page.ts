import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';

/** One refused field as a page shows it: translated text and the anchor of the field. */
export interface PageFieldError {
  field: string;
  text: string;
  href: string;
}

/**
 * A page whose form answers a refused submission by showing itself again with each field's error
 * in place. The global HttpErrorFilter asks it for the view and model; the status, the texts and
 * the JSON answer stay the filter's, so every route has one error behaviour.
 */
export interface FormErrorPage {
  render(
    req: Request,
    res: Response,
    errors: PageFieldError[],
  ): { view: string; model: Record<string, unknown> };
}

const FORM_ERROR_PAGE = 'civitas:form-error-page';

/** The form page the request's route named, for the filter (which is not told the route). */
export const formErrorPageOf = (res: Response): Type<FormErrorPage> | undefined =>
  res.locals[FORM_ERROR_PAGE] as Type<FormErrorPage> | undefined;

/** Notes the route's form page on the response before the handler (and its upload interceptor) runs. */
@Injectable()
export class FormErrorPageMarker implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const page = this.reflector.getAllAndOverride<Type<FormErrorPage> | undefined>(
      FORM_ERROR_PAGE,
      [context.getHandler(), context.getClass()],
    );
    if (page) context.switchToHttp().getResponse<Response>().locals[FORM_ERROR_PAGE] = page;
    return next.handle();
  }
}

/**
 * Marks a pages controller whose DomainErrors re-render its form: `page` is an injectable of the
 * controller's module. Put it on the class, so it runs before the handlers' own interceptors.
 */
export const RendersFormErrors = (page: Type<FormErrorPage>): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(FORM_ERROR_PAGE, page), UseInterceptors(FormErrorPageMarker));
