import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../../config/config';
import { oidcIssuer } from './oidc-client.service';

/**
 * helmet with a strict CSP: scripts, styles, fonts and images only from our origin, no inline
 * script or style (the dev IdP's pages follow the same rule). Forms may also post to the OIDC issuer.
 */
export function securityHeaders(config: AppConfig): RequestHandler {
  const issuerOrigin = new URL(oidcIssuer(config)).origin;
  const self = new URL(config.PUBLIC_URL).origin;
  const formAction = issuerOrigin === self ? ["'self'"] : ["'self'", issuerOrigin];
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction,
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        scriptSrcAttr: ["'none'"],
        ...(config.SECURE_COOKIES ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.SECURE_COOKIES
      ? { maxAge: 31_536_000, includeSubDomains: true }
      : false,
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
}
