import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

/**
 * Synchronizer-token CSRF protection (token kept in the session). Forms send `_csrf`; JSON and
 * htmx requests send the `X-CSRF-Token` header; multipart forms (parsed only after guards run)
 * send `?_csrf=` in the action URL.
 */
export const csrf = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const header = req.headers['x-csrf-token'];
    if (typeof header === 'string') return header;
    const body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body._csrf === 'string') return body._csrf;
    const q = req.query?._csrf;
    return typeof q === 'string' && req.is('multipart/form-data') ? q : undefined;
  },
});

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
