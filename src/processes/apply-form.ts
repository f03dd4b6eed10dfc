import { DomainError, type FieldError } from '../platform/errors/domain-error';
import type { ApplyFormSpec } from './process-views';

/** A catalogue entry's generic form, checked by its own rules (the portal and the staff pages alike). */
export function validateApplyForm(
  form: ApplyFormSpec,
  body: Record<string, unknown>,
): Record<string, string> {
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const f of form.fields) {
    const raw = typeof body[f.name] === 'string' ? (body[f.name] as string).trim() : '';
    values[f.name] = raw;
    if (f.required && !raw) errors.push({ field: f.name, message: 'portal:errors.required' });
    else if (raw.length > f.maxLength)
      errors.push({ field: f.name, message: 'portal:errors.tooLong' });
    else if (raw && f.pattern && !f.pattern.test(raw))
      errors.push({ field: f.name, message: f.patternMessage ?? 'portal:errors.format' });
  }
  if (errors.length) throw DomainError.validation(errors);
  return values;
}
