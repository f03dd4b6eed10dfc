import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DevIdp } from './dev-idp/dev-idp.service';
import { SessionLayer } from './session.middleware';
import { securityHeaders } from './security-headers';

/** Paths that never need a session: no cookie parsing, no store round trip. */
const SESSIONLESS = /^\/(assets|health)(\/|$)/;

/**
 * Express-level pieces, in order: security headers, the dev IdP under /oidc (before Nest's body
 * parsers, which it must not share), sessions, then the signed-in user. Call from createApp before
 * the language middleware (it reads res.locals.user).
 */
export function configureAuth(app: NestExpressApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  // Read by the layout: a demonstration installation says so on every page.
  app.setLocal('demoMode', config.DEMO_MODE);
  app.use(securityHeaders(config));
  const idp = app.get(DevIdp, { strict: false }) as DevIdp | null;
  if (idp) app.use('/oidc', idp.router());
  const layer = app.get(SessionLayer);
  const sessions = layer.sessionMiddleware();
  const users = layer.userMiddleware();
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (SESSIONLESS.test(req.path)) return next();
    sessions(req, res, (err?: unknown) => (err ? next(err) : users(req, res, next)));
  });
}
