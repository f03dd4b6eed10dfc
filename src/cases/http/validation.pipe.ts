import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldError } from '../../platform/errors/domain-error';

const toFields = (errors: ValidationError[], prefix = ''): FieldError[] =>
  errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    return [
      ...Object.keys(e.constraints ?? {}).map((c) => ({ field, message: `tasks:validation.${c}` })),
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
