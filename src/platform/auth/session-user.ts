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
}

/** What the session row keeps about the sign-in (never the roles: those are read per request). */
export interface SessionAuth {
  accountId: string;
  municipalityId: string | null;
  signedInAt: number;
  method: SignInMethod;
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
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: SessionUser;
    /** True when the browser showed a sign-in marker but its session had timed out. */
    sessionExpired?: boolean;
  }
}
