/**
 * Latvian personal codes: DDMMYY-CNNNN with a check digit (issued before 1 July 2017), or the
 * newer "32" codes without a date and without a check digit.
 */
const WEIGHTS = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

const digits = (code: string): number[] => code.replace('-', '').split('').map(Number);

export function lvCheckDigit(firstTen: string): number {
  const d = digits(firstTen);
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * d[i], 0);
  return (((1101 - sum) % 11) + 11) % 11;
}

export function isValidLvPersonalCode(code: string): boolean {
  if (!/^\d{6}-?\d{5}$/.test(code)) return false;
  const plain = code.replace('-', '');
  if (plain.startsWith('32')) return true;
  const check = lvCheckDigit(plain.slice(0, 10));
  return check < 10 && check === Number(plain[10]);
}

/** Canonical form DDMMYY-NNNNN. */
export const normalizeLvPersonalCode = (code: string): string => {
  const plain = code.replace(/[\s-]/g, '');
  return `${plain.slice(0, 6)}-${plain.slice(6)}`;
};
