import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { AppConfig } from '../../config/config';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the sign-in rate limiter; the controller then refuses and logs the attempt. */
    signInRateLimited?: boolean;
  }
}

const usernameOf = (req: Request): string => {
  const u = (req.body as { username?: unknown } | undefined)?.username;
  return typeof u === 'string' ? u.trim().toLowerCase() : '';
};

/**
 * Failed attempts per IP + username (password) or per IP (OIDC callback) within the window.
 * Successful sign-ins do not count. Over the limit the request is flagged rather than answered
 * here, so the sign-in controller logs it and answers 429 in the user's language.
 * The counters live in memory: with several app instances each counts separately.
 */
export function signInRateLimiter(config: AppConfig, kind: 'password' | 'oidc'): RequestHandler {
  return rateLimit({
    windowMs: config.SIGN_IN_RATE_WINDOW_MINUTES * 60_000,
    limit: config.SIGN_IN_RATE_LIMIT,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    keyGenerator: (req) => {
      const ip = ipKeyGenerator(req.ip ?? '');
      return kind === 'password' ? `pw:${ip}:${createHash('sha256').update(usernameOf(req)).digest('hex')}` : `oidc:${ip}`;
    },
    handler: (req, _res, next) => {
      req.signInRateLimited = true;
      next();
    },
  });
}
