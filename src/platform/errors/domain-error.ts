/**
 * Domain exceptions: services throw these, never HTTP exceptions. One HTTP filter maps the code
 * to a status and a message in the user's language (i18n key `errors:<code>`).
 */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  NotFound = 'not_found',
  Forbidden = 'forbidden',
  Unauthenticated = 'unauthenticated',
  Conflict = 'conflict',
  AlreadyDone = 'already_done',
  RateLimited = 'rate_limited',
  PayloadTooLarge = 'payload_too_large',
  ExternalUnavailable = 'external_unavailable',
  ExternalTimeout = 'external_timeout',
  Misconfigured = 'misconfigured',
  Internal = 'internal',
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 422,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.AlreadyDone]: 409,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.ExternalUnavailable]: 503,
  [ErrorCode.ExternalTimeout]: 504,
  [ErrorCode.Misconfigured]: 500,
  [ErrorCode.Internal]: 500,
};

/** Retryable codes are what the engines retry when an activity throws them. */
const RETRYABLE = new Set<ErrorCode>([ErrorCode.ExternalUnavailable, ErrorCode.ExternalTimeout]);

/** One field's problem: `message` is an i18n key (e.g. `validation:personalCode.checkDigit`) with params. */
export interface FieldError {
  field: string;
  message: string;
  params?: Record<string, string | number>;
}

export class DomainError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.retryable = RETRYABLE.has(code);
  }

  static validation(fields: FieldError[]): DomainError {
    return new DomainError(
      ErrorCode.ValidationFailed,
      fields.map((f) => `${f.field}: ${f.message}`).join('; '),
      fields,
    );
  }
}
