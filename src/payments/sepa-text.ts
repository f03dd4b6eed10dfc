/**
 * Text for a payment file in the character set Latvian banks accept (NOTES.md §2, Luminor and
 * Swedbank guides): basic Latin letters, digits, `/ - ? : ( ) . , ' +` and space; Latvian letters
 * with diacritics only for domestic payments. Latvian letters are transliterated when not allowed;
 * other letters lose their diacritics (NFD); whatever is left outside the set becomes a space.
 */
const LATVIAN: Record<string, string> = {
  ā: 'a',
  č: 'c',
  ē: 'e',
  ģ: 'g',
  ī: 'i',
  ķ: 'k',
  ļ: 'l',
  ņ: 'n',
  š: 's',
  ū: 'u',
  ž: 'z',
  Ā: 'A',
  Č: 'C',
  Ē: 'E',
  Ģ: 'G',
  Ī: 'I',
  Ķ: 'K',
  Ļ: 'L',
  Ņ: 'N',
  Š: 'S',
  Ū: 'U',
  Ž: 'Z',
};
/** Greek letters (an el municipality's payees) by ELOT 743, the common Greek-to-Latin table. */
const GREEK: Record<string, string> = {
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};
const ALLOWED = /[A-Za-z0-9/\-?:().,'+ ]/;

function greek(ch: string): string | undefined {
  const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const lower = base.toLowerCase();
  const t = GREEK[lower];
  if (t === undefined) return undefined;
  return base === lower ? t : t.charAt(0).toUpperCase() + t.slice(1);
}

const OUTSIDE = /[^A-Za-z0-9/\-?:().,'+ ]/g;
const GREEK_RANGE = /[\u0370-\u03ff]/;

function replacement(ch: string, keepLatvian: boolean): string {
  const lv = LATVIAN[ch];
  if (lv !== undefined) return keepLatvian ? ch : lv;
  const g = greek(ch);
  if (g !== undefined) return g;
  const stripped = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return stripped !== ch && [...stripped].every((c) => ALLOWED.test(c)) ? stripped : ' ';
}

export function sepaText(value: string, opts: { keepLatvian: boolean; max: number }): string {
  // ELOT 743 writes the Greek digraph ου as ou (one sound), not o + y.
  const text = GREEK_RANGE.test(value)
    ? value.replace(/ο[υύ]/g, 'ou').replace(/Ο[υύΥ]/g, 'Ou')
    : value;
  const out = text.replace(OUTSIDE, (ch) => replacement(ch, opts.keepLatvian));
  const clean = out.replace(/\s+/g, ' ').trim();
  return (clean.length <= opts.max ? clean : [...clean].slice(0, opts.max).join('')).trim();
}

/** Amount in cents as the decimal the schema takes (two fraction digits, no grouping). */
export function centsToDecimal(cents: number | bigint | string): string {
  const n = BigInt(cents);
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const s = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** The decimal of a status report back to cents; null if it is not a plain amount with at most 2 decimals. */
export function decimalToCents(value: string): bigint | null {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) return null;
  return BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}
