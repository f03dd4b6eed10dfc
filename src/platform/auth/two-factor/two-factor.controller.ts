import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode, HTTP_STATUS } from '../../errors/domain-error';
import { I18nService } from '../../i18n/i18n.service';
import { Public, SignedIn } from '../access.decorators';
import { safeReturnTo } from '../auth.controller';
import { AuthService } from '../auth.service';
import { Clock } from '../clock';
import { DeviceCookie } from '../device-cookie';
import { SessionLayer, saveSession } from '../session.middleware';
import { TwoFactorService } from './two-factor.service';

const VIEWS = 'platform/auth/two-factor/views';
/** The code step must follow the password (or eID) step within this time. */
const PENDING_MS = 5 * 60_000;

interface CodeBody {
  code?: string;
  returnTo?: string;
}

/** Sign-in step 2 (the one-time code) and staff enrolment of an authenticator app. */
@Controller()
export class TwoFactorController {
  constructor(
    private readonly auth: AuthService,
    private readonly twoFactor: TwoFactorService,
    private readonly sessions: SessionLayer,
    private readonly i18n: I18nService,
    private readonly clock: Clock,
    private readonly device: DeviceCookie,
  ) {}

  @Get('auth/sign-in/code')
  @Public()
  codePage(@Req() req: Request, @Res() res: Response): void {
    if (!this.pendingOf(req)) return res.redirect(303, '/auth/sign-in');
    this.render(req, res, 'code', 200, {});
  }

  @Post('auth/sign-in/code')
  @Public()
  async code(@Req() req: Request, @Res() res: Response, @Body() body: CodeBody): Promise<void> {
    const pending = this.pendingOf(req);
    if (!pending) return res.redirect(303, '/auth/sign-in');
    try {
      const ctx = {
        ip: req.ip ?? '',
        userAgent: String(req.headers['user-agent'] ?? ''),
        trustedDevice: this.device.trusted(req, pending.identifier),
      };
      const auth = await this.auth.completeSecondFactor(
        pending,
        typeof body.code === 'string' ? body.code : '',
        ctx,
      );
      await this.sessions.establish(req, res, auth);
      if (auth.method !== 'oidc') this.device.issue(res, pending.identifier);
      res.redirect(303, pending.returnTo ?? '/workspace');
    } catch (e) {
      if (
        !(e instanceof DomainError) ||
        ![ErrorCode.Unauthenticated, ErrorCode.ValidationFailed, ErrorCode.RateLimited].includes(
          e.code,
        )
      )
        throw e;
      if (typeof e.params.retryAfter === 'number')
        res.setHeader('Retry-After', String(e.params.retryAfter));
      this.render(req, res, 'code', HTTP_STATUS[e.code], { errors: this.fieldErrors(req, e) });
    }
  }

  @Get('auth/two-factor')
  @SignedIn()
  async status(
    @Req() req: Request,
    @Res() res: Response,
    @Query('returnTo') returnTo?: string,
  ): Promise<void> {
    this.requireStaff(req);
    const accountId = req.user!.accountId;
    const enrolled = await this.twoFactor.isEnrolled(accountId);
    this.render(req, res, 'status', 200, {
      enrolled,
      recoveryLeft: enrolled ? await this.twoFactor.recoveryCodesLeft(accountId) : 0,
      required: req.user!.roles.includes('administrator'),
      // A session opened before the account enrolled (or before this rule) has not given a code.
      signInAgain: enrolled && !req.user!.secondFactor,
      returnTo: safeReturnTo(returnTo),
    });
  }

  @Post('auth/two-factor/start')
  @SignedIn()
  async start(@Req() req: Request, @Res() res: Response, @Body() body: CodeBody): Promise<void> {
    this.requireStaff(req);
    const enrolment = await this.twoFactor.start(req.user!.accountId, await this.accountName(req));
    this.render(req, res, 'setup', 200, { ...enrolment, returnTo: safeReturnTo(body.returnTo) });
  }

  @Post('auth/two-factor/confirm')
  @SignedIn()
  async confirm(@Req() req: Request, @Res() res: Response, @Body() body: CodeBody): Promise<void> {
    this.requireStaff(req);
    const returnTo = safeReturnTo(body.returnTo);
    try {
      const codes = await this.twoFactor.confirm(
        req.user!.accountId,
        typeof body.code === 'string' ? body.code : '',
      );
      // This session proved the code: it may use administration pages at once.
      req.session.auth = { ...req.session.auth!, secondFactor: true };
      await saveSession(req);
      this.render(req, res, 'done', 200, { codes, returnTo: returnTo ?? '/workspace' });
    } catch (e) {
      if (
        !(e instanceof DomainError) ||
        (e.code !== ErrorCode.ValidationFailed && e.code !== ErrorCode.Conflict)
      )
        throw e;
      const enrolment = await this.twoFactor.pending(
        req.user!.accountId,
        await this.accountName(req),
      );
      if (!enrolment) throw e;
      this.render(req, res, 'setup', HTTP_STATUS[e.code], {
        ...enrolment,
        returnTo,
        errors: this.fieldErrors(req, e),
      });
    }
  }

  private pendingOf(req: Request) {
    const p = req.session?.secondFactor;
    return p && this.clock.now().getTime() - p.startedAt < PENDING_MS ? p : null;
  }

  /** Residents sign in with the national eID, which is itself two-factor: the page is for staff. */
  private requireStaff(req: Request): void {
    if (!req.user!.roles.some((r) => r !== 'citizen'))
      throw new DomainError(ErrorCode.NotFound, 'two-factor enrolment is for staff');
  }

  private async accountName(req: Request): Promise<string> {
    return (await this.auth.usernameOf(req.user!.accountId)) ?? req.user!.displayName;
  }

  private fieldErrors(req: Request, e: DomainError) {
    return e.fields.map((f) => ({
      field: f.field,
      text: this.i18n.t(req.lang, f.message, f.params ?? {}),
    }));
  }

  private render(
    req: Request,
    res: Response,
    view: 'code' | 'status' | 'setup' | 'done',
    status: number,
    model: Record<string, unknown>,
  ): void {
    res.status(status).render(`${VIEWS}/${view}`, {
      title: this.i18n.t(req.lang, `auth:twoFactor.${view}.title`),
      errors: [],
      ...model,
    });
  }
}
