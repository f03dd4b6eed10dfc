import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { csrfSync } from 'csrf-sync';
import type { Request, Response } from 'express';

/**
 * Where a request carries its token: forms send `_csrf`; JSON and htmx requests send the
 * `X-CSRF-Token` header; multipart forms (parsed only after guards run) send `?_csrf=` in the
 * action URL.
 */
export function csrfTokenOf(req: Request): string | undefined {
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = req.body as Record<string, unknown> | undefined;
  if (body && typeof body._csrf === 'string') return body._csrf;
  const q = req.query?._csrf;
  return typeof q === 'string' && req.is('multipart/form-data') ? q : undefined;
}

/** Synchronizer-token CSRF protection for signed-in users (the token is kept in their session). */
export const csrf = csrfSync({ getTokenFromRequest: csrfTokenOf });

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const NONCE = /^[A-Za-z0-9_-]{24}$/;

/**
 * CSRF tokens for visitors who are not signed in (the sign-in and eID forms), without a session
 * row per page view: a signed double-submit cookie. The cookie holds a random nonce (HttpOnly,
 * SameSite=Lax; `__Host-` prefixed when cookies are Secure, so a sibling subdomain cannot plant
 * one); the form's token is an HMAC of that nonce under a key derived from SESSION_SECRET. Another
 * site can neither read the cookie nor compute the token, and a token only fits its own browser's
 * nonce. Signed-in users keep the session-bound token (csrf above): this one is never accepted for
 * them.
 */
export class AnonymousCsrf {
  private readonly key: Buffer;
  readonly cookieName: string;

  constructor(
    secret: string,
    private readonly secure: boolean,
  ) {
    this.key = createHmac('sha256', secret).update('civitas anonymous csrf v1').digest();
    this.cookieName = secure ? '__Host-civitas.csrf' : 'civitas.csrf';
  }

  /** The token for this browser's nonce; sets the nonce cookie first if it has none. */
  token(req: Request, res: Response): string {
    const cookies = ((req as Request & { cookies?: Record<string, string> }).cookies ??= {});
    let nonce = cookies[this.cookieName];
    if (typeof nonce !== 'string' || !NONCE.test(nonce)) {
      nonce = randomBytes(18).toString('base64url');
      cookies[this.cookieName] = nonce;
      if (!res.headersSent)
        res.cookie(this.cookieName, nonce, {
          httpOnly: true,
          sameSite: 'lax',
          secure: this.secure,
          path: '/',
        });
    }
    return this.sign(nonce);
  }

  isValid(req: Request): boolean {
    const nonce = (req as Request & { cookies?: Record<string, string> }).cookies?.[
      this.cookieName
    ];
    const given = csrfTokenOf(req);
    if (typeof nonce !== 'string' || !NONCE.test(nonce) || typeof given !== 'string') return false;
    const expected = Buffer.from(this.sign(nonce));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  private sign(nonce: string): string {
    return createHmac('sha256', this.key).update(nonce).digest('base64url');
  }
}
