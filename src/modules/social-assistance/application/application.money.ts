import type { Lang } from '../../../platform/i18n/i18n.service';

/** Ten million euro: more than any household declares, well inside a 32-bit integer of cents. */
export const MAX_AMOUNT_CENTS = 1_000_000_000;

/**
 * An amount typed in euros as people write it, to integer cents: "12,50" and "12.50", "1 234,56"
 * (spaces as thousands), "1.234,56" (lv/el grouping) and "1,234.56" (en grouping), an optional
 * "€". At most 2 decimals; null when it is not an amount (the caller names the field).
 */
export function parseEuros(input: string, lang: Lang): number | null {
  const s = input.replace(/[\s\u00a0\u202f€]/g, '').replace(/EUR$/i, '');
  if (!/^\d[\d.,]*$/.test(s) || s.length > 20) return null;
  const decimalSep = decimalSeparatorOf(s, lang);
  const group = decimalSep === ',' ? '.' : decimalSep === '.' ? ',' : s.includes('.') ? '.' : ',';
  const [whole, frac = '', ...rest] = s.split(decimalSep ?? '\u0000');
  if (rest.length || frac.length > 2 || !/^\d*$/.test(frac)) return null;
  if (whole.includes(group) && !new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(whole))
    return null;
  const cents = Number(whole.split(group).join('')) * 100 + Number(frac.padEnd(2, '0'));
  return Number.isSafeInteger(cents) && cents <= MAX_AMOUNT_CENTS ? cents : null;
}

/** Which of ',' and '.' separates the decimals: the last one when both appear; else by the language's habits. */
function decimalSeparatorOf(s: string, lang: Lang): ',' | '.' | null {
  const comma = s.lastIndexOf(',');
  const dot = s.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) return comma > dot ? ',' : '.';
  const only = comma >= 0 ? ',' : dot >= 0 ? '.' : null;
  if (!only) return null;
  // "1.234" in lv/el and "1,234" in en are thousands; one or two digits after the mark are cents.
  const looksGrouped = /^\d{1,3}([.,]\d{3})+$/.test(s);
  const languageGroups = lang === 'en' ? ',' : '.';
  return looksGrouped && only === languageGroups ? null : only;
}

/** Cents back into the form's input as the language writes the amount: "12,50" (lv, el), "12.50" (en). */
export function eurosInput(cents: number, lang: Lang): string {
  const s = (cents / 100).toFixed(2);
  return lang === 'en' ? s : s.replace('.', ',');
}
