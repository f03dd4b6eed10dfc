import { Body, Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, HTTP_STATUS } from '../errors/domain-error';
import { I18nService } from '../i18n/i18n.service';
import { Municipality } from '../tenancy/municipality.entity';
import { Public, SignedIn } from './access.decorators';
import { AuthService, type SignInStep } from './auth.service';
import { Clock } from './clock';
import { DeviceCookie } from './device-cookie';
import { OidcClient } from './oidc-client.service';
import { SessionLayer, saveSession } from './session.middleware';
import { SignInLog } from './sign-in-log.service';
import { isUuid } from '../ids';

interface SignInBody {
  username?: string;
  password?: string;
  municipalityId?: string;
  returnTo?: string;
}

const VIEW = 'platform/auth/views/sign-in';
/** Refusals the sign-in form shows on its fields (everything else goes to the error filter). */
const FORM_ERRORS = new Set([
  ErrorCode.Unauthenticated,
  ErrorCode.ValidationFailed,
  ErrorCode.RateLimited,
]);

/** Only same-site paths; never `//host` or `/\host`. */
export const safeReturnTo = (v: unknown): string | null =>
  typeof v === 'string' && /^\/(?![/\\])/.test(v) && v.length < 500 ? v : null;

const ctxOf = (req: Request) => ({
  ip: req.ip ?? '',
  userAgent: String(req.headers['user-agent'] ?? ''),
});
const uuidOrNull = (v: unknown): string | null => (typeof v === 'string' && isUuid(v) ? v : null);

/** Sign-in (password and eID/OIDC), sign-out, active municipality, and the session API for scripts. */
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionLayer,
    private readonly oidc: OidcClient,
    private readonly signIns: SignInLog,
    private readonly i18n: I18nService,
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly device: DeviceCookie,
  ) {}

  @Get('auth/sign-in')
  @Public()
  async signInPage(
    @Req() req: Request,
    @Res() res: Response,
    @Query() q: Record<string, string>,
  ): Promise<void> {
    const notice =
      req.sessionExpired || q.expired ? 'expired' : q.signedOut ? 'signedOut' : undefined;
    await this.render(req, res, 200, { returnTo: safeReturnTo(q.returnTo), notice });
  }

  @Post('auth/sign-in')
  @Public()
  async signIn(@Req() req: Request, @Res() res: Response, @Body() body: SignInBody): Promise<void> {
    const returnTo = safeReturnTo(body.returnTo);
    const username = typeof body.username === 'string' ? body.username : '';
    await this.signOutBeforeSignIn(req, res);
    try {
      const ctx = { ...ctxOf(req), trustedDevice: this.device.trusted(req, username) };
      const step = await this.auth.signInWithPassword(
        username,
        typeof body.password === 'string' ? body.password : '',
        uuidOrNull(body.municipalityId),
        ctx,
      );
      await this.continueSignIn(req, res, step, returnTo ?? '/workspace');
    } catch (e) {
      if (!(e instanceof DomainError) || !FORM_ERRORS.has(e.code)) throw e;
      const errors = e.fields.map((f) => ({
        field: f.field,
        text: this.i18n.t(req.lang, f.message, f.params ?? {}),
      }));
      if (typeof e.params.retryAfter === 'number')
        res.setHeader('Retry-After', String(e.params.retryAfter));
      await this.render(req, res, HTTP_STATUS[e.code], { returnTo, username, errors });
    }
  }

  /** Signed in, or (an account with a second factor) on to the code page with the first step kept in the session. */
  private async continueSignIn(
    req: Request,
    res: Response,
    step: SignInStep,
    returnTo: string,
  ): Promise<void> {
    if (!step.secondFactor) {
      await this.sessions.establish(req, res, step.auth);
      if (step.auth.method !== 'oidc') this.device.issue(res, step.identifier);
      return res.redirect(303, returnTo);
    }
    req.session.secondFactor = {
      auth: step.auth,
      identifier: step.identifier,
      returnTo,
      startedAt: this.clock.now().getTime(),
    };
    await saveSession(req);
    res.redirect(303, '/auth/sign-in/code');
  }

  @Post('auth/sign-out')
  @Public()
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    const auth = req.session?.auth;
    await this.sessions.end(req, res);
    if (auth) await this.auth.recordSignOut(auth, req.ip ?? '');
    res.redirect(303, '/auth/sign-in?signedOut=1');
  }

  /**
   * Signing in while signed in means "I want to be someone else" (a shared counter PC, a second
   * account): the old session ends first, as in Keycloak or GitHub's account switch, so a failed
   * attempt leaves nobody signed in rather than the previous user still in the header.
   */
  private async signOutBeforeSignIn(req: Request, res: Response): Promise<void> {
    const previous = req.session?.auth;
    if (!previous) return;
    await this.sessions.end(req, res);
    await this.auth.recordSignOut(previous, req.ip ?? '');
    req.user = undefined;
    res.locals.user = undefined;
  }

  /** "Sign in with eID": remembers state, nonce and PKCE verifier in the session, then goes to the provider. */
  @Post('auth/oidc/start')
  @Public()
  async oidcStart(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: SignInBody,
  ): Promise<void> {
    const shown = (res.locals.municipality as { id?: string } | undefined)?.id ?? null;
    const { url, pending } = await this.oidc.start(
      uuidOrNull(body.municipalityId) ?? shown,
      safeReturnTo(body.returnTo) ?? '/',
      req.lang,
    );
    req.session.oidc = pending;
    await saveSession(req);
    res.redirect(303, url);
  }

  @Get('auth/oidc/callback')
  @Public()
  async oidcCallback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = req.session?.oidc;
    const fail = async (reason: string): Promise<void> => {
      await this.auth.recordOidcFailure(req.ip ?? '');
      await this.signIns.record(
        { method: 'oidc', outcome: 'failure', identifier: '', reason },
        ctxOf(req),
      );
      await this.render(req, res, 401, {
        errors: [{ field: 'eid', text: this.i18n.t(req.lang, 'auth:signIn.eidFailed') }],
      });
    };
    try {
      await this.auth.refuseIfLimited('oidc', { ip: req.ip ?? '' }, ctxOf(req), 'eid');
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== ErrorCode.RateLimited) throw e;
      res.setHeader('Retry-After', String(e.params.retryAfter));
      const errors = e.fields.map((f) => ({
        field: f.field,
        text: this.i18n.t(req.lang, f.message, f.params ?? {}),
      }));
      return this.render(req, res, 429, { errors });
    }
    if (!pending) return fail('no_pending_request');
    delete req.session.oidc;
    const q = req.originalUrl.indexOf('?');
    const query = q >= 0 ? req.originalUrl.slice(q) : '';
    try {
      const identity = await this.oidc.finish(query, pending);
      const step = await this.auth.signInWithOidc(identity, pending.municipalityId, ctxOf(req));
      const staff = (await this.auth.loadUser(step.auth))?.roles.some((r) => r !== 'citizen');
      await this.continueSignIn(
        req,
        res,
        step,
        pending.returnTo !== '/' ? pending.returnTo : staff ? '/workspace' : '/',
      );
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== ErrorCode.Unauthenticated) throw e;
      // Account-level refusals are already logged by AuthService; protocol failures are logged here.
      if (e.message.startsWith('OIDC callback rejected'))
        return fail(String(e.params.reason ?? 'rejected'));
      await this.auth.recordOidcFailure(req.ip ?? '');
      await this.render(req, res, 401, {
        errors: [{ field: 'eid', text: this.i18n.t(req.lang, 'auth:signIn.eidFailed') }],
      });
    }
  }

  @Get('auth/municipality')
  @SignedIn()
  @Render('platform/auth/views/municipality')
  async municipalityPage(@Req() req: Request, @Query('returnTo') returnTo?: string) {
    const choices = await this.auth.municipalityChoices(req.user!.accountId);
    return {
      title: this.i18n.t(req.lang, 'auth:municipality.title'),
      returnTo: safeReturnTo(returnTo),
      choices: choices.map((c) => ({
        ...c,
        active: c.id === req.user!.municipalityId,
        roleNames: c.roles.map((r) => this.i18n.t(req.lang, `auth:roles.${r}`)).join(', '),
      })),
    };
  }

  @Post('auth/municipality')
  @SignedIn()
  async switchMunicipality(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: SignInBody,
  ): Promise<void> {
    const id = uuidOrNull(body.municipalityId);
    if (!id)
      throw DomainError.validation([
        { field: 'municipalityId', message: 'auth:municipality.invalid' },
      ]);
    req.session.auth = await this.auth.switchMunicipality(req.session.auth!, id);
    await saveSession(req);
    res.redirect(303, safeReturnTo(body.returnTo) ?? '/');
  }

  /** For scripts and API clients: who is signed in, and the CSRF token to send as X-CSRF-Token. */
  @Get('api/auth/session')
  @Public()
  session(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const u = req.user;
    return {
      user: u
        ? {
            accountId: u.accountId,
            displayName: u.displayName,
            municipalityId: u.municipalityId,
            roles: u.roles,
            grants: u.grants,
            personId: u.personId,
            lang: u.lang,
          }
        : null,
      csrfToken: this.sessions.csrfToken(req, res),
    };
  }

  private async render(
    req: Request,
    res: Response,
    status: number,
    model: Record<string, unknown>,
  ): Promise<void> {
    const municipalities = await this.ds
      .getRepository(Municipality)
      .find({ order: { name: 'ASC' }, select: { id: true, name: true } });
    const active = (res.locals.municipality as { id?: string } | undefined)?.id;
    res.status(status).render(VIEW, {
      title: this.i18n.t(req.lang, 'auth:signIn.title'),
      municipalities: municipalities.map((m) => ({
        id: m.id,
        name: m.name,
        selected: m.id === active,
      })),
      errors: [],
      flash: null, // the page shows its own notice
      ...model,
    });
  }
}
