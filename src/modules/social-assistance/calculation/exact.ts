/**
 * Exact money arithmetic for the means test: amounts are integer cents, coefficients are decimal
 * strings read into integer ten-thousandths, and averages (a 3-month total over 3) stay exact
 * fractions until the one rounding step each published figure has (a parameter). No floats.
 */

/** A non-negative-denominator fraction of cents. */
export interface Cents {
  readonly n: bigint;
  readonly d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y) [x, y] = [y, x % y];
  return x || 1n;
};

const norm = (n: bigint, d: bigint): Cents => {
  if (d === 0n) throw new RangeError('division by zero');
  const s = d < 0n ? -1n : 1n;
  const g = gcd(n, d);
  return { n: (s * n) / g, d: (s * d) / g };
};

export const cents = (c: number | bigint): Cents => {
  if (typeof c === 'number' && !Number.isSafeInteger(c))
    throw new RangeError(`not whole cents: ${c}`);
  return { n: BigInt(c), d: 1n };
};
export const ZERO = cents(0);
export const add = (a: Cents, b: Cents): Cents => norm(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Cents, b: Cents): Cents => norm(a.n * b.d - b.n * a.d, a.d * b.d);
export const sum = (xs: readonly Cents[]): Cents => xs.reduce(add, ZERO);
export const times = (a: Cents, k: bigint): Cents => norm(a.n * k, a.d);
export const over = (a: Cents, k: bigint): Cents => norm(a.n, a.d * k);
/** a × (bp / 10 000): a coefficient in basis points of a unit (1.7 = 17 000). */
export const timesBp = (a: Cents, bp: bigint): Cents => norm(a.n * bp, a.d * 10_000n);
export const cmp = (a: Cents, b: Cents): number => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
export const max = (a: Cents, b: Cents): Cents => (cmp(a, b) >= 0 ? a : b);
export const min = (a: Cents, b: Cents): Cents => (cmp(a, b) <= 0 ? a : b);
export const isPositive = (a: Cents): boolean => a.n > 0n;

/** Rounding rules a figure may have (a list parameter names one per figure, with its source). */
export const ROUNDING_RULES = ['cent-half-up', 'cent-down', 'euro-half-up', 'euro-down'] as const;
export type RoundingRule = (typeof ROUNDING_RULES)[number];
export const isRoundingRule = (v: string): v is RoundingRule =>
  (ROUNDING_RULES as readonly string[]).includes(v);

const floorDiv = (n: bigint, d: bigint): bigint => {
  const q = n / d;
  return n % d !== 0n && n < 0n !== d < 0n ? q - 1n : q;
};

/** Whole cents by the rule ("down" truncates towards zero; "half-up" rounds halves away from zero). */
export function round(a: Cents, rule: RoundingRule): number {
  const unit = rule.startsWith('euro') ? 100n : 1n;
  const d = a.d * unit;
  const neg = a.n < 0n;
  const abs = neg ? -a.n : a.n;
  const q = rule.endsWith('down') ? abs / d : floorDiv(2n * abs + d, 2n * d);
  const out = (neg ? -q : q) * unit;
  return Number(out);
}

const trimZeros = (digits: string): string => {
  let end = digits.length;
  while (end > 0 && digits[end - 1] === '0') end--;
  return digits.slice(0, end);
};

/** A decimal string such as "87.50" or "2.5" as an integer of 10^-scale units; no floats involved. */
export function parseDecimal(value: string, scale: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new RangeError(`not a decimal: ${value}`);
  const frac = trimZeros(m[3] ?? '');
  if (frac.length > scale) throw new RangeError(`${value} has more than ${scale} decimals`);
  const v = BigInt(m[2]) * 10n ** BigInt(scale) + BigInt(frac.padEnd(scale, '0') || '0');
  return m[1] ? -v : v;
}

/** "87.50" → 8750 cents. */
export const decimalToCents = (value: string): number => Number(parseDecimal(value, 2));
/** "1.7" → 17 000 basis points of a unit. */
export const decimalToBp = (value: string): number => Number(parseDecimal(value, 4));

/** 44900 → "449.00" (language-neutral, for formulas). */
export function formatCents(c: number): string {
  const neg = c < 0;
  const a = Math.abs(c);
  return `${neg ? '−' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** 17 000 → "1.7". */
export function formatBp(bp: number): string {
  const whole = Math.floor(bp / 10_000);
  const frac = trimZeros(String(bp % 10_000).padStart(4, '0'));
  return frac ? `${whole}.${frac}` : String(whole);
}

/** An exact fraction shown to the cent it would round to half-up (for formulas only). */
export const showCents = (a: Cents): string => formatCents(round(a, 'cent-half-up'));
