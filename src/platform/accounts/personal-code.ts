/**
 * Canonical form DDMMYY-NNNNN of a Latvian personal code as the eID provider sends it (with or
 * without the dash). Validation of codes typed by people lives in src/persons.
 */
export const normalizeLvPersonalCode = (code: string): string => {
  const plain = code.replace(/[\s-]/g, '');
  return /^\d{11}$/.test(plain) ? `${plain.slice(0, 6)}-${plain.slice(6)}` : code.trim();
};
