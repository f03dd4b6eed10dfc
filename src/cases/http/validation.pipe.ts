import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldError } from '../../platform/errors/domain-error';
import { isI18nKey } from '../../platform/i18n/i18n.service';

/**
 * A constraint's i18n key: the decorator's own `message` when it is a key (`@MaxLength(500, {
 * message: 'common:validation.tooLong', context: { max: 500 } })`), else `tasks:validation.<name>`.
 * The decorator's `context` becomes the message's params.
 */
const fieldError = (e: ValidationError, field: string, constraint: string): FieldError => {
  const own = e.constraints?.[constraint];
  const params = (e.contexts?.[constraint] ?? undefined) as FieldError['params'];
  return {
    field,
    message: own && isI18nKey(own) ? own : `tasks:validation.${constraint}`,
    ...(params ? { params } : {}),
  };
};

const toFields = (errors: ValidationError[], prefix = ''): FieldError[] =>
  errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    return [
      ...Object.keys(e.constraints ?? {}).map((c) => fieldError(e, field, c)),
      ...toFields(e.children ?? [], field),
    ];
  });

/** DTO validation that fails with a field-level DomainError (i18n keys), never an HTTP exception. */
export const domainValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => DomainError.validation(toFields(errors)),
});
