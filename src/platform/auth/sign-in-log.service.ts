import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUTH_AUDIT, type AuthAudit } from './auth-audit';
import { SignInAttempt, type SignInMethod, type SignInOutcome } from './sign-in-attempt.entity';

export interface AttemptContext {
  ip: string;
  userAgent: string;
  /** The browser holds a device cookie for the account name tried (DeviceCookie): no address limit. */
  trustedDevice?: boolean;
}

export interface Attempt {
  method: SignInMethod;
  outcome: SignInOutcome;
  identifier: string;
  reason: string;
  accountId?: string | null;
  municipalityId?: string | null;
}

/** Records every sign-in attempt three ways: sign_in_attempts row, structured log, audit port. */
@Injectable()
export class SignInLog {
  private readonly log = new Logger('SignIn');

  constructor(
    private readonly ds: DataSource,
    @Inject(AUTH_AUDIT) private readonly audit: AuthAudit,
  ) {}

  async record(a: Attempt, ctx: AttemptContext): Promise<void> {
    const row = {
      method: a.method,
      outcome: a.outcome,
      identifier: a.identifier.slice(0, 200),
      reason: a.reason,
      accountId: a.accountId ?? null,
      municipalityId: a.municipalityId ?? null,
      ip: ctx.ip,
      userAgent: ctx.userAgent.slice(0, 300),
    };
    await this.ds.manager.insert(SignInAttempt, row);
    const entry = { signIn: { ...row, userAgent: undefined } };
    if (a.outcome === 'success') this.log.log(entry, 'sign-in succeeded');
    else
      this.log.warn(
        entry,
        a.outcome === 'rate_limited' ? 'sign-in rate-limited' : 'sign-in failed',
      );
    const action =
      a.outcome === 'success'
        ? 'auth.sign_in'
        : a.outcome === 'failure'
          ? 'auth.sign_in_failed'
          : 'auth.sign_in_rate_limited';
    await this.audit.record({
      action,
      accountId: row.accountId,
      municipalityId: row.municipalityId,
      details: { method: a.method, identifier: row.identifier, reason: a.reason },
      ip: ctx.ip,
    });
  }
}
