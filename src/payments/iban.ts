import type { FieldError } from '../platform/errors/domain-error';

/**
 * IBAN lengths of the SEPA countries a municipality pays to (ISO 13616 registry). Latvia: 21
 * (FKTK regulation No 271, see src/payments/schema/README.md).
 */
const LENGTHS: Record<string, number> = {
  AD: 24,
  AT: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GI: 23,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  VA: 22,
};

/** ISO 7064 MOD 97-10 over the rearranged IBAN (letters as 10..35), computed in chunks. */
export function mod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : ch;
    for (const d of digits) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rest;
}

/** The IBAN in electronic form: upper case, spaces removed (as people write it in groups of four). */
export const normalizeIban = (value: string): string => value.replace(/\s+/g, '').toUpperCase();

/**
 * Checks an IBAN and names what is wrong as an i18n key for `field`: empty, characters,
 * country, length, check digits (ISO 7064 MOD 97-10), and a Latvian IBAN's bank code (4 letters).
 */
export function ibanErrors(field: string, raw: unknown): FieldError[] {
  if (typeof raw !== 'string' || raw.trim() === '')
    return [{ field, message: 'payments:errors.ibanRequired' }];
  const iban = normalizeIban(raw);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban))
    return [{ field, message: 'payments:errors.ibanCharacters' }];
  const country = iban.slice(0, 2);
  const length = LENGTHS[country];
  if (length === undefined)
    return [{ field, message: 'payments:errors.ibanCountry', params: { country } }];
  if (iban.length !== length)
    return [{ field, message: 'payments:errors.ibanLength', params: { country, length } }];
  if (country === 'LV' && !/^LV\d{2}[A-Z]{4}[A-Z0-9]{13}$/.test(iban))
    return [{ field, message: 'payments:errors.ibanBankCode' }];
  if (mod97(iban) !== 1) return [{ field, message: 'payments:errors.ibanCheckDigits' }];
  return [];
}

/**
 * BICs of banks and the Treasury in Latvia by the 4 letters at positions 5–8 of a Latvian IBAN
 * (Latvijas Banka, "BIC noteikšana pēc IBAN"; NOTES.md §2). Banks may not require the BIC for
 * SEPA payments, so an unknown prefix simply gives none.
 */
const LATVIAN_BICS: Record<string, string> = {
  HABA: 'HABALV22', // Swedbank
  UNLA: 'UNLALV2X', // SEB banka
  RIKO: 'RIKOLV2X', // Luminor
  PARX: 'PARXLV22', // Citadele
  TREL: 'TRELLV22', // Valsts kase (the State Treasury)
  LATB: 'LATBLV22', // Latvijas Banka
};

/** The BIC of a Latvian IBAN's bank, when the prefix is known; undefined otherwise. */
export function bicFromLatvianIban(iban: string): string | undefined {
  const n = normalizeIban(iban);
  return n.startsWith('LV') ? LATVIAN_BICS[n.slice(4, 8)] : undefined;
}

/** ISO 9362 BIC: 4 letters bank, 2 letters country, 2 location, optional 3 branch. */
export function bicErrors(field: string, raw: unknown): FieldError[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (
    typeof raw !== 'string' ||
    !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(raw.trim().toUpperCase())
  )
    return [{ field, message: 'payments:errors.bic' }];
  return [];
}
