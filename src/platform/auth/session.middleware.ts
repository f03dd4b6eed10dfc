import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { I18nService, isLang } from '../i18n/i18n.service';
import { AuthService } from './auth.service';
import { Clock } from './clock';
import { AnonymousCsrf, csrf } from './csrf';
import { AccountAwarePgStore } from './session-store';

export const SESSION_COOKIE = 'civitas.sid';
/** Set at sign-in, cleared at sign-out: lets us tell "your session expired" from "never signed in". */
export const SIGNED_IN_COOKIE = 'civitas_signed_in';

/** express-session on PostgreSQL plus the per-request user: absolute timeout, disabled accounts, CSRF token. */
@Injectable()
export class SessionLayer implements OnApplicationShutdown {
  readonly store: AccountAwarePgStore;
  private readonly anonymousCsrf: AnonymousCsrf;
  private readonly idleMs: number;
  private readonly absoluteMs: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    ds: DataSource,
    private readonly auth: AuthService,
    private readonly i18n: I18nService,
    private readonly clock: Clock,
  ) {
    this.idleMs = Math.round(config.SESSION_IDLE_MINUTES * 60_000);
    this.absoluteMs = Math.round(config.SESSION_ABSOLUTE_HOURS * 3_600_000);
    this.anonymousCsrf = new AnonymousCsrf(config.SESSION_SECRET, config.SECURE_COOKIES);
    this.store = new AccountAwarePgStore(
      {
        pool: (ds.driver as PostgresDriver).master as Pool,
        tableName: 'http_sessions',
        createTableIfMissing: false,
      },
      this.idleMs / 1000,
      () => this.clock.now().getTime(),
    );
  }

  onApplicationShutdown(): void {
    this.store.close();
  }

  cookieOptions(): { httpOnly: true; sameSite: 'lax'; secure: boolean; path: '/' } {
    return { httpOnly: true, sameSite: 'lax', secure: this.config.SECURE_COOKIES, path: '/' };
  }

  /** Idle timeout: the cookie and the row expire SESSION_IDLE_MINUTES after the last request (rolling). */
  sessionMiddleware(): RequestHandler {
    return session({
      name: SESSION_COOKIE,
      secret: this.config.SESSION_SECRET,
      store: this.store,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      unset: 'destroy',
      cookie: { ...this.cookieOptions(), maxAge: this.idleMs },
    });
  }

  /** Sets req.user / res.locals.user, ends sessions past the absolute timeout, of disabled accounts, or refused by the staff directory. */
  userMiddleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      this.loadUser(req, res).then(() => next(), next);
    };
  }

  private async loadUser(req: Request, res: Response): Promise<void> {
    const auth = req.session?.auth;
    const cookies = (req as Request & { cookies?: Record<string, string> }).cookies ?? {};
    if (auth) {
      const current =
        this.clock.now().getTime() - auth.signedInAt > this.absoluteMs
          ? null
          : await this.auth.recheckDirectory(auth);
      if (current && current !== auth) req.session.auth = current;
      const user = current ? await this.auth.loadUser(current) : null;
      if (user) {
        req.user = user;
        res.locals.user = user;
      } else {
        await regenerateSession(req);
        this.markExpired(req, res);
      }
    } else if (cookies[SIGNED_IN_COOKIE]) {
      this.markExpired(req, res);
    }
    // Lazy: read only by pages that render a form. Never a session row for an anonymous visitor.
    Object.defineProperty(res.locals, 'csrfToken', {
      enumerable: true,
      configurable: true,
      get: () => this.csrfToken(req, res),
    });
  }

  /**
   * The CSRF token for this request's forms: bound to the session once signed in, a signed
   * double-submit cookie before (so anonymous page views, the sign-in page included, store no
   * session: one is created at sign-in, or by a form that needs one, such as the eID start).
   */
  csrfToken(req: Request, res: Response): string {
    return req.session?.auth ? csrf.generateToken(req) : this.anonymousCsrf.token(req, res);
  }

  /** Whether a state-changing request carries the token csrfToken gave this browser. */
  csrfValid(req: Request): boolean {
    return req.session?.auth ? csrf.isRequestValid(req) : this.anonymousCsrf.isValid(req);
  }

  private markExpired(req: Request, res: Response): void {
    req.sessionExpired = true;
    res.clearCookie(SIGNED_IN_COOKIE, this.cookieOptions());
    // Shown once by the layout's notification banner, in the language chosen later in the chain.
    Object.defineProperty(res.locals, 'flash', {
      enumerable: true,
      configurable: true,
      get: () => {
        const lang = isLang(res.locals.lang) ? res.locals.lang : 'lv';
        return {
          heading: this.i18n.t(lang, 'auth:notice.heading'),
          message: this.i18n.t(lang, 'auth:notice.expired'),
        };
      },
    });
  }

  /** A fresh session id for the signed-in user (no fixation), the sign-in marker cookie set. */
  async establish(
    req: Request,
    res: Response,
    auth: NonNullable<session.SessionData['auth']>,
  ): Promise<void> {
    await regenerateSession(req);
    req.session.auth = auth;
    await saveSession(req);
    res.cookie(SIGNED_IN_COOKIE, '1', this.cookieOptions());
  }

  async end(req: Request, res: Response): Promise<void> {
    await regenerateSession(req);
    res.clearCookie(SESSION_COOKIE, this.cookieOptions());
    res.clearCookie(SIGNED_IN_COOKIE, this.cookieOptions());
  }
}

/**
 * Saves now. express-session would save when the response ends, but it sends the headers first:
 * a browser following a redirect at once could then read the old session.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    req.session.save((e: unknown) => (e ? reject(e as Error) : resolve())),
  );
}

/** Deletes the stored session and starts an empty one under a new id (the old id is dead). */
function regenerateSession(req: Request): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    req.session.regenerate((e: unknown) => (e ? reject(e as Error) : resolve())),
  );
}
