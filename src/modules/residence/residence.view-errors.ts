import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type { I18nService, Lang } from '../../platform/i18n/i18n.service';

export interface ViewErrors {
  /** For the error-summary partial: anchor id and message. */
  errors: { field: string; text: string }[];
  /** Message per field id, for the inline govuk-error-message. */
  fieldErrors: Record<string, string>;
}

export const fieldId = (field: string): string => field.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-');

/** A validation DomainError as view data in the user's language; anything else is rethrown. */
export function viewErrors(i18n: I18nService, lang: Lang, e: unknown): ViewErrors {
  if (!(e instanceof DomainError) || e.code !== ErrorCode.ValidationFailed) throw e;
  const errors = e.fields.map((f) => ({ field: fieldId(f.field), text: i18n.t(lang, f.message, f.params ?? {}) }));
  const fieldErrors: Record<string, string> = {};
  for (const x of errors) fieldErrors[x.field] ??= x.text;
  return { errors, fieldErrors };
}
