import { createHmac, randomBytes } from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits), the port the second
 * factor uses. `Rfc6238Totp` is the in-repo implementation on node:crypto; otplib
 * (`@otplib/core` + `@otplib/plugin-crypto` + `@otplib/plugin-thirty-two`, or `otplib` 12.x) is
 * the maintained library to put behind this port once it is a dependency:
 *
 *   generateSecret: () => authenticator.generateSecret(20)
 *   keyUri: (account, issuer, secret) => authenticator.keyuri(account, issuer, secret)
 *   matchStep: (code, secret, now) => {
 *     const a = authenticator.clone({ epoch: now.getTime(), window: WINDOW });
 *     const delta = a.checkDelta(code, secret);
 *     return delta === null ? null : stepOf(now) + delta;
 *   }
 *   generate: (secret, now) => authenticator.clone({ epoch: now.getTime() }).generate(secret)
 */
export interface TotpEngine {
  /** A new shared secret, base32 (what authenticator apps take). */
  generateSecret(): string;
  /** The otpauth:// URI an authenticator app reads from the QR code. */
  keyUri(accountName: string, issuer: string, secret: string): string;
  /** The time step the code belongs to (within ±WINDOW steps of now), or null when it matches none. */
  matchStep(code: string, secret: string, now: Date): number | null;
  /** The code of `now` (tests, and the enrolment page never needs it). */
  generate(secret: string, now: Date): string;
}

export const TOTP_ENGINE = Symbol('TOTP_ENGINE');
export const STEP_SECONDS = 30;
/** One step either side: a phone clock a little off, or a code typed as it rolled over. */
export const WINDOW = 1;
const DIGITS = 6;

export const stepOf = (now: Date): number => Math.floor(now.getTime() / 1000 / STEP_SECONDS);

export class Rfc6238Totp implements TotpEngine {
  generateSecret(): string {
    return base32Encode(randomBytes(20));
  }

  keyUri(accountName: string, issuer: string, secret: string): string {
    const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
    const q = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: String(DIGITS), period: String(STEP_SECONDS) });
    return `otpauth://totp/${label}?${q.toString()}`;
  }

  matchStep(code: string, secret: string, now: Date): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const key = base32Decode(secret);
    const step = stepOf(now);
    for (let d = -WINDOW; d <= WINDOW; d++) if (hotp(key, step + d) === code) return step + d;
    return null;
  }

  generate(secret: string, now: Date): string {
    return hotp(base32Decode(secret), stepOf(now));
  }
}

/** RFC 4226 HOTP with dynamic truncation. */
export function hotp(key: Buffer, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** DIGITS;
  return String(bin).padStart(DIGITS, '0');
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(s: string): Buffer {
  const clean = s.toUpperCase().replace(/[=\s]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) throw new Error('not base32');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
