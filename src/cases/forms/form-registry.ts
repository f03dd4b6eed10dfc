import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { DomainError, ErrorCode, type FieldError } from '../../platform/errors/domain-error';
import { isI18nKey } from '../../platform/i18n/i18n.service';

type FormClass = new () => object;

/** Decision forms by form key: a class-validator DTO each. Process modules register theirs. */
const forms = new Map<string, FormClass>();

export function registerForm(formKey: string, dto: FormClass): void {
  const existing = forms.get(formKey);
  if (existing && existing !== dto) throw new Error(`form ${formKey} registered twice`);
  forms.set(formKey, dto);
}

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

/** Validates a decision against its form; returns the clean (whitelisted) decision or throws a field-level DomainError. */
export async function validateDecision(
  formKey: string,
  decision: unknown,
): Promise<Record<string, unknown>> {
  const dto = forms.get(formKey);
  if (!dto)
    throw new DomainError(ErrorCode.Misconfigured, `no decision form registered for ${formKey}`);
  if (typeof decision !== 'object' || decision === null || Array.isArray(decision)) {
    throw DomainError.validation([{ field: 'decision', message: 'tasks:validation.isObject' }]);
  }
  const instance = plainToInstance(dto, decision);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw DomainError.validation(fieldErrors(errors));
  return { ...instance } as Record<string, unknown>;
}
