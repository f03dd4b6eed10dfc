import type { Grant } from '../accounts/accounts.service';
import type { Language, Role } from '../accounts/roles';
import type { SignInMethod } from './sign-in-attempt.entity';

/** The signed-in user as controllers (req.user) and views (res.locals.user) see it. */
export interface SessionUser {
  accountId: string;
  displayName: string;
  /** The active municipality; roles and grants are those held there. */
  municipalityId: string | null;
  roles: Role[];
  grants: Grant[];
  /** The signed-in resident's own person record in the active municipality (matched by personal code). */
  personId: string | null;
  /** Preferred language (the language middleware falls back to it). */
  lang: Language;
  signedInAt: number;
  method: SignInMethod;
  /** This session passed the account's one-time code (or was the one that enrolled it). */
  secondFactor: boolean;
}

/** What the session row keeps about the sign-in (never the roles: those are read per request). */
export interface SessionAuth {
  accountId: string;
  municipalityId: string | null;
  signedInAt: number;
  method: SignInMethod;
  secondFactor?: boolean;
  /** Directory sign-ins: when the directory last confirmed the user (epoch ms); re-checked after DIRECTORY_RECHECK_MINUTES. */
  directoryCheckedAt?: number;
}

/** Kept in the (not yet signed-in) session between the password or eID step and the code. */
export interface PendingSecondFactor {
  auth: SessionAuth;
  /** What the throttle and the sign-in log key on: the username, or issuer#subject. */
  identifier: string;
  returnTo: string | null;
  startedAt: number;
}

/** Pending OIDC authorization request, kept between the redirect and the callback. */
export interface PendingOidc {
  state: string;
  nonce: string;
  codeVerifier: string;
  municipalityId: string | null;
  returnTo: string;
  startedAt: number;
}

declare module 'express-session' {
  interface SessionData {
    auth?: SessionAuth;
    oidc?: PendingOidc;
    /** Password or eID step passed, one-time code still to come (AuthService.completeSecondFactor). */
    secondFactor?: PendingSecondFactor;
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: SessionUser;
    /** True when the browser showed a sign-in marker but its session had timed out. */
    sessionExpired?: boolean;
  }
}
