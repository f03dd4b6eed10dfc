import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DataSource, In } from 'typeorm';
import { Municipality } from '../tenancy/municipality.entity';
import { Account } from '../accounts/account.entity';
import { AccountsService } from '../accounts/accounts.service';
import { PasswordHasher } from '../accounts/password-hasher';
import { normalizeLvPersonalCode } from '../accounts/personal-code';
import { Person } from '../../persons/person.entity';
import { TenantDb } from '../tenancy/tenant-db';
import { type Language, LANGUAGES, type Role } from '../accounts/roles';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { AUTH_AUDIT, type AuthAudit } from './auth-audit';
import { Clock } from './clock';
import { DirectoryService } from './directory/directory.service';
import { DirectoryUnavailable } from './directory/ldap-directory';
import { HttpSession } from './http-session.entity';
import type { PendingSecondFactor, SessionAuth, SessionUser } from './session-user';
import type { SignInMethod } from './sign-in-attempt.entity';
import { type AttemptContext, SignInLog } from './sign-in-log.service';
import { type Refusal, SignInThrottle, type ThrottleKeys } from './sign-in-throttle.service';
import { TwoFactorService } from './two-factor/two-factor.service';

/** Identity claims the relying party accepted from the OIDC provider. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  displayName: string;
  personalCode: string | null;
  email: string | null;
  emailVerified: boolean;
  locale: string | null;
}

const signInFailed = (): DomainError =>
  new DomainError(ErrorCode.Unauthenticated, 'sign-in failed', [
    { field: 'password', message: 'auth:signIn.failed' },
  ]);

/** 429 with the wait in the user's language on `field`; `retryAfter` (seconds) becomes the Retry-After header. */
export const rateLimited = (r: Refusal, field = 'username'): DomainError => {
  const minutes = r.retryAfterSeconds >= 120;
  const message = minutes ? 'auth:signIn.retryInMinutes' : 'auth:signIn.retryInSeconds';
  const params = { n: minutes ? Math.ceil(r.retryAfterSeconds / 60) : r.retryAfterSeconds };
  return new DomainError(
    ErrorCode.RateLimited,
    `sign-in limited (${r.scope})`,
    [{ field, message, params }],
    { retryAfter: r.retryAfterSeconds, scope: r.scope },
  );
};

/** A first sign-in step passed: done, or (secondFactor) the account's one-time code is still to be checked. */
export interface SignInStep {
  auth: SessionAuth;
  secondFactor: boolean;
  /** The username, or issuer#subject for OIDC. */
  identifier: string;
}

/** Decides who may sign in and into which municipality; ends sessions. */
@Injectable()
export class AuthService {
  constructor(
    private readonly ds: DataSource,
    private readonly accounts: AccountsService,
    private readonly hasher: PasswordHasher,
    private readonly signIns: SignInLog,
    private readonly throttle: SignInThrottle,
    private readonly twoFactor: TwoFactorService,
    private readonly tenants: TenantDb,
    private readonly directory: DirectoryService,
    private readonly clock: Clock,
    @Inject(AUTH_AUDIT) private readonly audit: AuthAudit,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Staff only: citizens have no password and no staff role. Every outcome is logged with its
   * reason. The address and account limits are checked before the password is hashed (argon2 is
   * the expensive part); an account with a second factor is not signed in until its code is checked
   * (completeSecondFactor).
   *
   * Precedence when the chosen municipality has directory sign-in on: a local account of that name
   * which holds a role in that municipality signs in locally (break-glass administrators, service
   * staff outside the directory); any other name is asked of that municipality's directory only.
   * Another municipality's local account never shadows a directory user.
   */
  async signInWithPassword(
    username: string,
    password: string,
    wantedMunicipalityId: string | null,
    ctx: AttemptContext,
  ): Promise<SignInStep> {
    const identifier = username.trim().toLowerCase();
    const fail = async (reason: string, accountId: string | null = null): Promise<never> => {
      await this.throttle.recordFailure({ ip: ctx.ip, identifier });
      await this.signIns.record(
        { method: 'password', outcome: 'failure', identifier, reason, accountId },
        ctx,
      );
      throw signInFailed();
    };
    if (!identifier || !password) {
      throw DomainError.validation([
        ...(!identifier
          ? [{ field: 'username', message: 'auth:validation.usernameRequired' }]
          : []),
        ...(!password ? [{ field: 'password', message: 'auth:validation.passwordRequired' }] : []),
      ]);
    }
    await this.refuseIfLimited(
      'password',
      { ip: ctx.ip, identifier, trustedDevice: ctx.trustedDevice },
      ctx,
    );
    const account = await this.accounts.findByUsername(identifier);
    if (
      wantedMunicipalityId &&
      !(account && (await this.accounts.belongsToStaffOf(account.id, wantedMunicipalityId)))
    ) {
      const directory = await this.directory.enabledFor(wantedMunicipalityId);
      if (directory)
        return this.signInWithDirectory(wantedMunicipalityId, directory, identifier, password, ctx);
    }
    const ok = await this.hasher.verify(account?.passwordHash ?? null, password);
    if (!account) return fail('unknown_account');
    if (!ok) return fail(account.passwordHash ? 'bad_password' : 'no_password', account.id);
    if (account.disabled) return fail('disabled', account.id);
    const municipalityId = await this.pickMunicipality(account.id, wantedMunicipalityId, true);
    if (!municipalityId) return fail('no_staff_role', account.id);

    if (this.hasher.needsRehash(account.passwordHash!))
      await this.accounts.markSignedIn(account.id, await this.hasher.hash(password));
    const auth: SessionAuth = {
      accountId: account.id,
      municipalityId,
      signedInAt: this.clock.now().getTime(),
      method: 'password',
    };
    if (await this.twoFactor.isEnrolled(account.id))
      return { auth, secondFactor: true, identifier };
    await this.succeeded(auth, identifier, ctx);
    return { auth, secondFactor: false, identifier };
  }

  /**
   * The password form for a directory municipality: the directory binds as the user (the password
   * is never compared here), then groups map to roles. A wrong password, unknown name, disabled
   * user or user without a mapped group is refused with the same message and counted by the
   * throttle; an unreachable directory is refused with its own message and not counted.
   */
  private async signInWithDirectory(
    municipalityId: string,
    { settings, directory }: NonNullable<Awaited<ReturnType<DirectoryService['enabledFor']>>>,
    login: string,
    password: string,
    ctx: AttemptContext,
  ): Promise<SignInStep> {
    const fail = async (reason: string, accountId: string | null = null): Promise<never> => {
      await this.throttle.recordFailure({ ip: ctx.ip, identifier: login });
      await this.signIns.record(
        {
          method: 'ldap',
          outcome: 'failure',
          identifier: login,
          reason,
          accountId,
          municipalityId,
        },
        ctx,
      );
      throw signInFailed();
    };
    let answer;
    try {
      answer = await directory.authenticate(login, password);
    } catch (e) {
      if (!(e instanceof DirectoryUnavailable)) throw e;
      this.directory.warn(municipalityId, e.reason);
      await this.signIns.record(
        {
          method: 'ldap',
          outcome: 'failure',
          identifier: login,
          reason: 'directory_unavailable',
          municipalityId,
        },
        ctx,
      );
      throw new DomainError(ErrorCode.Unauthenticated, 'directory unavailable', [
        { field: 'username', message: 'auth:signIn.directoryUnavailable' },
      ]);
    }
    if (!answer.ok) return fail(answer.reason);
    const { user } = answer;
    const known = await this.directory.accountOf(municipalityId, user.entryId);
    const grants = user.disabled ? [] : this.directory.grantsFor(settings, user);
    if (!grants.length) {
      // Disabled, or no longer in any mapped group: the account keeps no role here, and its sessions end.
      if (known)
        await this.endDirectoryAccess(
          known.id,
          municipalityId,
          user.disabled ? 'directory_disabled' : 'no_mapped_group',
        );
      return fail(user.disabled ? 'directory_disabled' : 'no_mapped_group', known?.id ?? null);
    }
    const { account } = await this.directory.provision(municipalityId, login, user, grants);
    if (account.disabled) return fail('disabled', account.id);
    const now = this.clock.now().getTime();
    const auth: SessionAuth = {
      accountId: account.id,
      municipalityId,
      signedInAt: this.clock.now().getTime(),
      method: 'ldap',
      directoryCheckedAt: now,
    };
    if (await this.twoFactor.isEnrolled(account.id))
      return { auth, secondFactor: true, identifier: login };
    await this.succeeded(auth, login, ctx);
    return { auth, secondFactor: false, identifier: login };
  }

  /**
   * A directory session is confirmed again by the directory every DIRECTORY_RECHECK_MINUTES (with
   * the service account): a user disabled, removed, or left without a mapped group loses the roles
   * and every session (null); changed groups change the roles at once. Direct-bind settings (no
   * service account) cannot look users up: such sessions are confirmed at the next sign-in only. An
   * unreachable directory keeps the session (logged) and is asked again after the interval.
   */
  async recheckDirectory(auth: SessionAuth): Promise<SessionAuth | null> {
    if (auth.method !== 'ldap') return auth;
    const now = this.clock.now().getTime();
    if (now - (auth.directoryCheckedAt ?? 0) < this.config.DIRECTORY_RECHECK_MINUTES * 60_000)
      return auth;
    const account = await this.ds.manager.findOne(Account, {
      where: { id: auth.accountId },
      select: {
        id: true,
        directoryLogin: true,
        directoryEntryId: true,
        directoryMunicipalityId: true,
      },
    });
    // The directory the account came from, whichever municipality the session has switched to.
    const municipalityId = account?.directoryMunicipalityId;
    if (!account?.directoryLogin || !municipalityId) return null;
    const found = await this.directory.enabledFor(municipalityId);
    if (!found) {
      await this.endDirectoryAccess(auth.accountId, municipalityId, 'directory_off');
      return null;
    }
    if (!found.directory.canLookup) return { ...auth, directoryCheckedAt: now };
    try {
      const user = await found.directory.lookup(account.directoryLogin);
      const grants =
        user && !user.disabled && user.entryId === account.directoryEntryId
          ? this.directory.grantsFor(found.settings, user)
          : [];
      if (!user || !grants.length) {
        await this.endDirectoryAccess(
          auth.accountId,
          municipalityId,
          !user ? 'directory_gone' : user.disabled ? 'directory_disabled' : 'no_mapped_group',
        );
        return null;
      }
      await this.directory.provision(municipalityId, account.directoryLogin, user, grants);
    } catch (e) {
      if (!(e instanceof DirectoryUnavailable)) throw e;
      this.directory.warn(municipalityId, e.reason);
    }
    return { ...auth, directoryCheckedAt: now };
  }

  /** Roles in the municipality removed and every session ended (audited). */
  private async endDirectoryAccess(
    accountId: string,
    municipalityId: string,
    reason: string,
  ): Promise<void> {
    await this.directory.revokeAll(accountId, municipalityId);
    const sessionsEnded = await this.endSessions(accountId);
    await this.audit.record({
      action: 'auth.directory_access_ended',
      accountId,
      municipalityId,
      details: { reason, sessionsEnded },
    });
  }

  /**
   * Step 2 for an account with a second factor: its current one-time code (or an unused recovery
   * code). Wrong codes count against the same limits as wrong passwords.
   */
  async completeSecondFactor(
    pending: PendingSecondFactor,
    code: string,
    ctx: AttemptContext,
  ): Promise<SessionAuth> {
    const { auth, identifier } = pending;
    const c = code.replace(/\s/g, '');
    if (!c)
      throw DomainError.validation([{ field: 'code', message: 'auth:twoFactor.codeRequired' }]);
    await this.refuseIfLimited(
      auth.method,
      { ip: ctx.ip, identifier, trustedDevice: ctx.trustedDevice },
      ctx,
      'code',
    );
    const account = await this.ds.manager.findOne(Account, {
      where: { id: auth.accountId },
      select: { id: true, disabled: true },
    });
    const ok = !!account && !account.disabled && (await this.twoFactor.verify(account.id, c));
    if (!ok) {
      await this.throttle.recordFailure({ ip: ctx.ip, identifier });
      await this.signIns.record(
        {
          method: auth.method,
          outcome: 'failure',
          identifier,
          reason: account?.disabled ? 'disabled' : 'bad_code',
          accountId: auth.accountId,
        },
        ctx,
      );
      throw new DomainError(ErrorCode.Unauthenticated, 'second factor failed', [
        { field: 'code', message: 'auth:twoFactor.wrongCode' },
      ]);
    }
    const done: SessionAuth = {
      ...auth,
      signedInAt: this.clock.now().getTime(),
      secondFactor: true,
    };
    await this.succeeded(done, identifier, ctx);
    return done;
  }

  private async succeeded(
    auth: SessionAuth,
    identifier: string,
    ctx: AttemptContext,
  ): Promise<void> {
    await this.accounts.markSignedIn(auth.accountId);
    if (identifier) await this.throttle.recordSuccess(identifier);
    const method = auth.method;
    await this.signIns.record(
      {
        method,
        outcome: 'success',
        identifier,
        reason: auth.secondFactor ? 'second_factor' : '',
        accountId: auth.accountId,
        municipalityId: auth.municipalityId,
      },
      ctx,
    );
  }

  /** Throws 429 when the address or account name must wait; the first refusal of a lock is logged, later ones only counted. */
  async refuseIfLimited(
    method: SignInMethod,
    keys: ThrottleKeys,
    ctx: AttemptContext,
    field = 'username',
  ): Promise<void> {
    const refusal = await this.throttle.check(keys);
    if (!refusal) return;
    if (refusal.firstOfLock) {
      await this.signIns.record(
        {
          method,
          outcome: 'rate_limited',
          identifier: keys.identifier ?? '',
          reason:
            refusal.scope === 'ip' ? 'too_many_attempts_address' : 'too_many_attempts_account',
        },
        ctx,
      );
    }
    throw rateLimited(refusal, field);
  }

  /** A failed OIDC callback counts against the address like a wrong password. */
  recordOidcFailure(ip: string): Promise<void> {
    return this.throttle.recordFailure({ ip });
  }

  /**
   * An identity from the provider: a known subject signs in; a personal code finds or creates the
   * citizen account (citizen role in the chosen municipality); a verified e-mail (without a personal
   * code) links an existing staff account.
   */
  async signInWithOidc(
    claims: OidcIdentity,
    wantedMunicipalityId: string | null,
    ctx: AttemptContext,
  ): Promise<SignInStep> {
    const id = {
      ...claims,
      personalCode: claims.personalCode ? normalizeLvPersonalCode(claims.personalCode) : null,
    };
    const identifier = `${id.issuer}#${id.subject}`;
    const fail = async (reason: string, accountId: string | null = null): Promise<never> => {
      await this.signIns.record(
        { method: 'oidc', outcome: 'failure', identifier, reason, accountId },
        ctx,
      );
      throw new DomainError(ErrorCode.Unauthenticated, `OIDC sign-in refused: ${reason}`, [], {
        reason,
      });
    };
    const account = await this.ds.transaction(async (em) => {
      let acc = await em.findOneBy(Account, { oidcIssuer: id.issuer, oidcSubject: id.subject });
      if (!acc && id.personalCode)
        acc = await em.findOneBy(Account, { personalCode: id.personalCode });
      // E-mail links only identities without a personal code (staff of the dev IdP or a staff IdP):
      // a resident's eID must never be matched to a staff account by e-mail.
      if (!acc && !id.personalCode && id.email && id.emailVerified)
        acc = await em.findOneBy(Account, { email: id.email.toLowerCase() });
      if (!acc && id.personalCode && wantedMunicipalityId) {
        acc = em.create(Account, {
          displayName: id.displayName,
          personalCode: id.personalCode,
          email: null,
          preferredLanguage: asLanguage(id.locale),
        });
      }
      if (!acc) return null;
      if (!acc.oidcSubject) Object.assign(acc, { oidcIssuer: id.issuer, oidcSubject: id.subject });
      acc = await em.save(acc);
      if (id.personalCode && wantedMunicipalityId && !acc.disabled) {
        await this.accounts.grant(acc.id, wantedMunicipalityId, 'citizen', null, em);
      }
      return acc;
    });
    if (!account) return fail(id.personalCode ? 'no_municipality' : 'unknown_account');
    if (account.disabled) return fail('disabled', account.id);
    const municipalityId = await this.pickMunicipality(account.id, wantedMunicipalityId, false);
    if (!municipalityId) return fail('no_role', account.id);
    const auth: SessionAuth = {
      accountId: account.id,
      municipalityId,
      signedInAt: this.clock.now().getTime(),
      method: 'oidc',
    };
    // A staff identity provider may vouch with a password only: an enrolled account gives its code too.
    if (await this.twoFactor.isEnrolled(account.id))
      return { auth, secondFactor: true, identifier };
    await this.succeeded(auth, identifier, ctx);
    return { auth, secondFactor: false, identifier };
  }

  async usernameOf(accountId: string): Promise<string | null> {
    return (
      (
        await this.ds.manager.findOne(Account, {
          where: { id: accountId },
          select: { id: true, username: true },
        })
      )?.username ?? null
    );
  }

  /** The user as this request sees it, or null when the account is gone or disabled. */
  async loadUser(auth: SessionAuth): Promise<SessionUser | null> {
    const account = await this.accounts.forRequest(auth.accountId, auth.municipalityId);
    if (!account || account.disabled) return null;
    const { grants } = account;
    const personId =
      auth.municipalityId && account.personalCode
        ? await this.personIdOf(auth.municipalityId, account.personalCode)
        : null;
    return {
      personId,
      accountId: account.id,
      displayName: account.displayName,
      municipalityId: auth.municipalityId,
      roles: [...new Set(grants.map((g) => g.role))],
      grants,
      lang: account.preferredLanguage,
      signedInAt: auth.signedInAt,
      method: auth.method,
      secondFactor: auth.secondFactor === true,
    };
  }

  /** The municipalities the account may switch to, with its roles in each. */
  async municipalityChoices(
    accountId: string,
  ): Promise<{ id: string; name: string; roles: Role[] }[]> {
    const held = await this.accounts.municipalitiesOf(accountId);
    if (!held.length) return [];
    const names = await this.ds.getRepository(Municipality).find({
      where: { id: In(held.map((h) => h.municipalityId)) },
      select: { id: true, name: true },
    });
    return held.map((h) => ({
      id: h.municipalityId,
      name: names.find((n) => n.id === h.municipalityId)?.name ?? h.municipalityId,
      roles: h.roles,
    }));
  }

  /** Switches the active municipality to one where the account holds a role. */
  async switchMunicipality(auth: SessionAuth, municipalityId: string): Promise<SessionAuth> {
    const held = await this.accounts.municipalitiesOf(auth.accountId);
    if (!held.some((m) => m.municipalityId === municipalityId)) {
      throw new DomainError(ErrorCode.Forbidden, 'no role in that municipality', [
        { field: 'municipalityId', message: 'auth:municipality.noRole' },
      ]);
    }
    return { ...auth, municipalityId };
  }

  /**
   * An administrator acts on accounts of their own municipality only (AccountsService.belongsTo):
   * any other account is reported as not found (its existence elsewhere is not revealed), nothing
   * changes, and the refused attempt is audited in the administrator's municipality.
   */
  async disableAccountIn(
    municipalityId: string,
    accountId: string,
    byAccountId: string,
  ): Promise<number> {
    await this.requireAccountIn(municipalityId, accountId, byAccountId, 'disable');
    if (accountId === byAccountId)
      throw DomainError.validation([
        { field: 'accountId', message: 'auth:validation.notYourself' },
      ]);
    return this.disableAccount(accountId, byAccountId);
  }

  async enableAccountIn(
    municipalityId: string,
    accountId: string,
    byAccountId: string,
  ): Promise<void> {
    await this.requireAccountIn(municipalityId, accountId, byAccountId, 'enable');
    await this.enableAccount(accountId, byAccountId);
  }

  /** Throws NotFound (after auditing the refusal) unless the account belongs to the municipality. */
  async requireAccountIn(
    municipalityId: string,
    accountId: string,
    byAccountId: string,
    op: string,
  ): Promise<void> {
    if (await this.accounts.belongsTo(accountId, municipalityId)) return;
    const known = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(accountId);
    await this.audit.record({
      action: 'auth.account_change_refused',
      accountId: known ? accountId : null,
      municipalityId,
      details: { by: byAccountId, op },
    });
    throw new DomainError(ErrorCode.NotFound, `account ${accountId} not found`);
  }

  /** Disables the account and ends every session it has, at once. */
  async disableAccount(accountId: string, byAccountId: string | null): Promise<number> {
    const ended = await this.ds.transaction(async (em) => {
      await this.accounts.setDisabled(accountId, true, em);
      const res = await em.delete(HttpSession, { accountId });
      return res.affected ?? 0;
    });
    await this.audit.record({
      action: 'auth.account_disabled',
      accountId,
      municipalityId: null,
      details: { by: byAccountId, sessionsEnded: ended },
    });
    return ended;
  }

  async enableAccount(accountId: string, byAccountId: string | null): Promise<void> {
    await this.accounts.setDisabled(accountId, false);
    await this.audit.record({
      action: 'auth.account_enabled',
      accountId,
      municipalityId: null,
      details: { by: byAccountId },
    });
  }

  async endSessions(accountId: string): Promise<number> {
    const res = await this.ds.manager.delete(HttpSession, { accountId });
    return res.affected ?? 0;
  }

  async recordSignOut(auth: SessionAuth, ip: string): Promise<void> {
    await this.audit.record({
      action: 'auth.sign_out',
      accountId: auth.accountId,
      municipalityId: auth.municipalityId,
      details: {},
      ip,
    });
  }

  /** The resident's own person record in the active municipality, if the register has one. */
  private personIdOf(municipalityId: string, personalCode: string): Promise<string | null> {
    return this.tenants.run(
      municipalityId,
      async (em) =>
        (await em.findOne(Person, { where: { personalCode }, select: { id: true } }))?.id ?? null,
    );
  }

  private async pickMunicipality(
    accountId: string,
    wanted: string | null,
    staffOnly: boolean,
  ): Promise<string | null> {
    const held = (await this.accounts.municipalitiesOf(accountId)).filter(
      (m) => !staffOnly || m.roles.some((r) => r !== 'citizen'),
    );
    return (held.find((m) => m.municipalityId === wanted) ?? held[0])?.municipalityId ?? null;
  }
}

const asLanguage = (locale: string | null): Language => {
  const l = (locale ?? '').slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(l) ? (l as Language) : 'lv';
};
