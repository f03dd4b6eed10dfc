import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { DomainError, ErrorCode, type FieldError } from '../../platform/errors/domain-error';
import { isI18nKey } from '../../platform/i18n/i18n.service';
import type { ProcessForm } from '../../processes/process-module';

/**
 * Field errors as i18n keys: the form's own message when it gives one as a key
 * (`residence:errors.decisionOutcome`, naming the field; class-validator's English defaults do not), else
 * `tasks:validation.<constraint>` (e.g. tasks:validation.isIn). One error per field: the topmost failing
 * decorator (they register bottom-up, so it comes last), the most basic check (a missing text is "enter it", not "too long").
 */
function fieldErrors(errors: ValidationError[], prefix = 'decision'): FieldError[] {
  return errors.flatMap((e) => {
    const field = `${prefix}.${e.property}`;
    const own = Object.entries(e.constraints ?? {})
      .slice(-1)
      .map(([c, text]) => ({ field, message: isI18nKey(text) ? text : `tasks:validation.${c}` }));
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

/**
 * Validates a decision against its form's DTO (the process module's form, from the ProcessRegistry);
 * then the form's own `check` with `now` (the injected clock's); returns the clean (whitelisted)
 * decision or throws a field-level DomainError.
 */
export async function validateDecision(
  formKey: string,
  form: ProcessForm | undefined,
  decision: unknown,
  now: Date = new Date(),
): Promise<Record<string, unknown>> {
  const dto = form?.dto;
  if (!dto)
    throw new DomainError(ErrorCode.Misconfigured, `no decision form registered for ${formKey}`);
  if (typeof decision !== 'object' || decision === null || Array.isArray(decision)) {
    throw DomainError.validation([{ field: 'decision', message: 'tasks:validation.isObject' }]);
  }
  const instance = plainToInstance(dto, decision);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw DomainError.validation(fieldErrors(errors));
  const clean = { ...instance } as Record<string, unknown>;
  const more = form.check?.(clean, now) ?? [];
  if (more.length) throw DomainError.validation(more);
  return clean;
}
