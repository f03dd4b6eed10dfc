import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits), the port the second
 * factor uses, on otplib (maintained; RFC 4226/6238 test vectors in its own suite and ours).
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
/** 160-bit secrets, the size RFC 4226 recommends for HMAC-SHA1. */
const SECRET_BYTES = 20;

export const stepOf = (now: Date): number => Math.floor(now.getTime() / 1000 / STEP_SECONDS);
const seconds = (now: Date): number => Math.floor(now.getTime() / 1000);

export class OtplibTotp implements TotpEngine {
  generateSecret(): string {
    return generateSecret({ length: SECRET_BYTES });
  }

  keyUri(accountName: string, issuer: string, secret: string): string {
    return generateURI({
      issuer,
      label: accountName,
      secret,
      algorithm: 'sha1',
      digits: DIGITS,
      period: STEP_SECONDS,
    });
  }

  matchStep(code: string, secret: string, now: Date): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const r = verifySync({
      secret,
      token: code,
      epoch: seconds(now),
      period: STEP_SECONDS,
      digits: DIGITS,
      algorithm: 'sha1',
      epochTolerance: WINDOW * STEP_SECONDS,
    });
    return r.valid ? stepOf(now) + r.delta : null;
  }

  generate(secret: string, now: Date): string {
    return generateSync({
      secret,
      epoch: seconds(now),
      period: STEP_SECONDS,
      digits: DIGITS,
      algorithm: 'sha1',
    });
  }
}
