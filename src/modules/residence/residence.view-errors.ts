import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type { I18nService, Lang } from '../../platform/i18n/i18n.service';

export interface ViewErrors {
  /** For the error-summary partial: anchor id and message. */
  errors: { field: string; text: string }[];
  /** Message per field id, for the inline govuk-error-message. */
  fieldErrors: Record<string, string>;
}

export const fieldId = (field: string): string =>
  field.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-');

/**
 * A validation DomainError as view data in the user's language; anything else is rethrown.
 * `toFormField` names the form input a service field belongs to; each input gets one message,
 * and the summary links to it once.
 */
export function viewErrors(
  i18n: I18nService,
  lang: Lang,
  e: unknown,
  toFormField: (field: string) => string = (f) => f,
): ViewErrors {
  if (!(e instanceof DomainError) || e.code !== ErrorCode.ValidationFailed) throw e;
  const errors: ViewErrors['errors'] = [];
  const fieldErrors: Record<string, string> = {};
  for (const f of e.fields) {
    const field = fieldId(toFormField(f.field));
    if (field in fieldErrors) continue;
    fieldErrors[field] = i18n.t(lang, f.message, f.params ?? {});
    errors.push({ field, text: fieldErrors[field] });
  }
  return { errors, fieldErrors };
}

/**
 * The declaration form's input for a service field: the service numbers every declared person
 * (`persons[i]`), the form has the applicant (when "include me" is ticked) and the "others" inputs.
 */
export const declarationFormField =
  (includeSelf: boolean, selfField: string) =>
  (field: string): string => {
    const m = /^persons\[(\d{1,2})\]$/.exec(field);
    if (!m) return field;
    const i = Number(m[1]);
    if (includeSelf && i === 0) return selfField;
    return `others[${includeSelf ? i - 1 : i}]`;
  };
