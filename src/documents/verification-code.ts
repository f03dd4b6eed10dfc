import { randomBytes } from 'node:crypto';

/** Crockford base32: no I, L, O, U, so codes survive being read aloud or typed from paper. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 5;
const GROUP = 4;

/** 100 random bits as XXXX-XXXX-XXXX-XXXX-XXXX: unguessable, printed on the document and in its QR URL. */
export function newVerificationCode(): string {
  const bytes = randomBytes(GROUPS * GROUP);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]);
  return Array.from({ length: GROUPS }, (_, i) =>
    chars.slice(i * GROUP, (i + 1) * GROUP).join(''),
  ).join('-');
}

/** Normalises what a person typed (case, spaces, look-alike letters); null if it cannot be a code. */
export function normaliseVerificationCode(input: string): string | null {
  const raw = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[OIL]/g, (c) => (c === 'O' ? '0' : '1'));
  if (raw.length !== GROUPS * GROUP || [...raw].some((c) => !ALPHABET.includes(c))) return null;
  return raw.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-');
}
