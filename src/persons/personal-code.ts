import type { FieldError } from '../platform/errors/domain-error';

/**
 * Latvian personal codes (personas kods), 11 digits, shown as XXXXXX-XXXXX.
 *
 * - Old format DDMMYY-CNNNK: birth date, century digit C (0 = 1800s, 1 = 1900s, 2 = 2000s),
 *   serial NNN and check digit K. Issued until 30 June 2017.
 * - New format 32XXXX-XXXXK (from 1 July 2017, and on request for older persons): no birth date;
 *   PMLP describes the digits after "32" as randomly generated.
 *
 * Check digit, both formats: K = (1101 - Σ dᵢ·wᵢ) mod 11 with weights 1,6,3,7,9,10,5,8,4,2
 * (equivalent to python-stdnum's lv.pvn `(1 + Σ dᵢ·(10,5,8,4,2,1,6,3,7,9)) mod 11 mod 10`, which
 * also applies it to new-format codes, e.g. 328673-00679). A remainder of 10 is written as 0, as
 * stdnum does; the simulator never issues such serials.
 */
const WEIGHTS = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

export type PersonalCodeFormat = 'old' | 'new';

export interface ParsedPersonalCode {
  /** Canonical display form with the hyphen: 010190-12345. */
  code: string;
  format: PersonalCodeFormat;
  /** ISO date, old format only. */
  birthDate: string | null;
}

export type PersonalCodeResult =
  { ok: true; value: ParsedPersonalCode } | { ok: false; error: FieldError };

/** (1101 - Σ dᵢ·wᵢ) mod 11 over the first ten digits: 0–9 is the check digit, 10 has none. */
function remainder(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (first10.charCodeAt(i) - 48) * WEIGHTS[i];
  return (((1101 - sum) % 11) + 11) % 11;
}

/** Check digit for the first ten digits (no hyphen); a remainder of 10 is written as 0. */
export const personalCodeCheckDigit = (first10: string): number => remainder(first10) % 10;

/** True when the remainder is 10, i.e. no serial with these ten digits should be issued. */
export const personalCodeHasNoCheckDigit = (first10: string): boolean => remainder(first10) === 10;

/** Longer input is no personal code however it is spaced: refused before any pattern runs. */
export const PERSONAL_CODE_INPUT_MAX = 40;

/** Strips spaces and the optional hyphen; returns 11 digits or null. */
export function compactPersonalCode(input: string): string | null {
  if (input.length > PERSONAL_CODE_INPUT_MAX) return null;
  const s = input.replace(/\s+/g, '');
  return /^\d{6}-?\d{5}$/.test(s) ? s.replace('-', '') : null;
}

export const formatPersonalCode = (digits: string): string =>
  `${digits.slice(0, 6)}-${digits.slice(6)}`;

function birthDateOf(digits: string): string | null {
  const day = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const century = Number(digits[6]);
  if (century > 2) return null;
  const year = 1800 + century * 100 + Number(digits.slice(4, 6));
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return null;
  return d.toISOString().slice(0, 10);
}

/**
 * Validates format, birth date (old format, not in the future) and check digit. Errors are
 * field-level with i18n keys `persons:personalCode.{format,birthDate,checkDigit}`.
 */
export function parsePersonalCode(
  input: string,
  field = 'personalCode',
  today: Date = new Date(),
): PersonalCodeResult {
  const digits = compactPersonalCode(input);
  if (!digits) return { ok: false, error: { field, message: 'persons:personalCode.format' } };
  const format: PersonalCodeFormat = digits.startsWith('32') ? 'new' : 'old';
  let birthDate: string | null = null;
  if (format === 'old') {
    birthDate = birthDateOf(digits);
    if (!birthDate || birthDate > today.toISOString().slice(0, 10)) {
      return { ok: false, error: { field, message: 'persons:personalCode.birthDate' } };
    }
  }
  if (personalCodeCheckDigit(digits.slice(0, 10)) !== Number(digits[10])) {
    return { ok: false, error: { field, message: 'persons:personalCode.checkDigit' } };
  }
  return { ok: true, value: { code: formatPersonalCode(digits), format, birthDate } };
}

/** Looks like an attempt at a personal code (so a search box treats it as one, not as a name). */
export const looksLikePersonalCode = (input: string): boolean => {
  // Two linear checks instead of `^[\d\s-]*\d[\d\s-]*$`, which backtracks quadratically.
  const s = input.trim();
  return s.length <= PERSONAL_CODE_INPUT_MAX && /^[\d\s-]+$/.test(s) && /\d/.test(s);
};

/** Masked form for viewers without the right to see codes: the first six digits only of old codes. */
export function maskPersonalCode(code: string): string {
  return code.startsWith('32') ? '32****-*****' : `${code.slice(0, 6)}-*****`;
}
