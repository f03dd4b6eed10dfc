import type { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '../../config/config';
import { isLang, LANGUAGES, type Lang } from './i18n.service';

export const LANG_COOKIE = 'civitas_lang';

declare module 'express-serve-static-core' {
  interface Request {
    lang: Lang;
  }
}

/**
 * Chooses the language per request: ?lang= (remembered in a cookie), then the cookie, then the
 * signed-in user's preference, then Accept-Language, then the configured default (lv).
 */
export function languageMiddleware(config: AppConfig) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const q = req.query.lang;
    let lang: Lang | undefined;
    if (isLang(q)) {
      lang = q;
      res.cookie(LANG_COOKIE, q, {
        httpOnly: true,
        sameSite: 'lax',
        maxAge: 365 * 86400_000,
        secure: config.SECURE_COOKIES,
      });
    }
    const cookies = (req as Request & { cookies?: Record<string, string> }).cookies ?? {};
    const userLang = (res.locals.user as { lang?: string } | undefined)?.lang;
    lang ??= isLang(cookies[LANG_COOKIE]) ? (cookies[LANG_COOKIE] as Lang) : undefined;
    lang ??= isLang(userLang) ? userLang : undefined;
    lang ??= (req.acceptsLanguages(...LANGUAGES) || undefined) as Lang | undefined;
    lang ??= config.DEFAULT_LOCALE;
    req.lang = lang;
    res.locals.lang = lang;
    res.setHeader('Content-Language', lang);
    next();
  };
}
