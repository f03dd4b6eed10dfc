import { Inject, Injectable, Logger } from '@nestjs/common';
import type * as OpenIdClient from 'openid-client';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { OidcIdentity } from './auth.service';
import { requireEsm } from './esm';
import type { PendingOidc } from './session-user';

export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';
export const OIDC_SCOPE = 'openid profile email eid';

/** The issuer the relying party trusts: OIDC_ISSUER, else the in-process dev IdP under /oidc. */
export const oidcIssuer = (config: AppConfig): string =>
  config.OIDC_ISSUER ?? `${config.PUBLIC_URL.replace(/\/$/, '')}/oidc`;

/**
 * Relying party (openid-client 6): authorization code flow with PKCE (S256), state and nonce.
 * Discovery happens on first use, so the app can start before its issuer (even itself) listens.
 */
@Injectable()
export class OidcClient {
  private readonly log = new Logger(OidcClient.name);
  private readonly lib = requireEsm<typeof OpenIdClient>('openid-client');
  private configuration?: Promise<OpenIdClient.Configuration>;
  readonly issuer: URL;
  readonly redirectUri: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.issuer = new URL(oidcIssuer(config));
    this.redirectUri = `${config.PUBLIC_URL.replace(/\/$/, '')}${OIDC_CALLBACK_PATH}`;
  }

  private discover(): Promise<OpenIdClient.Configuration> {
    this.configuration ??= this.lib
      .discovery(
        this.issuer,
        this.config.OIDC_CLIENT_ID,
        this.config.OIDC_CLIENT_SECRET,
        undefined,
        // Plain http is accepted only for a local issuer (the dev IdP); production issuers are https.
        this.issuer.protocol === 'http:'
          ? { execute: [this.lib.allowInsecureRequests] }
          : undefined,
      )
      .catch((e: unknown) => {
        this.configuration = undefined;
        this.log.error({ err: e }, `OIDC discovery at ${this.issuer.href} failed`);
        throw new DomainError(ErrorCode.ExternalUnavailable, 'identity provider unavailable');
      });
    return this.configuration;
  }

  /** The provider URL to send the browser to, and what must be kept in the session until it returns. */
  async start(
    municipalityId: string | null,
    returnTo: string,
    uiLocale: string,
  ): Promise<{ url: string; pending: PendingOidc }> {
    const cfg = await this.discover();
    const codeVerifier = this.lib.randomPKCECodeVerifier();
    const pending: PendingOidc = {
      state: this.lib.randomState(),
      nonce: this.lib.randomNonce(),
      codeVerifier,
      municipalityId,
      returnTo,
      startedAt: Date.now(),
    };
    const url = this.lib.buildAuthorizationUrl(cfg, {
      redirect_uri: this.redirectUri,
      scope: OIDC_SCOPE,
      code_challenge: await this.lib.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ui_locales: uiLocale,
    });
    return { url: url.href, pending };
  }

  /** Exchanges the code (checking state, nonce, PKCE and the ID token) and reads the user info. */
  async finish(callbackQuery: string, pending: PendingOidc): Promise<OidcIdentity> {
    const cfg = await this.discover();
    const current = new URL(`${this.redirectUri}${callbackQuery}`);
    let tokens;
    try {
      tokens = await this.lib.authorizationCodeGrant(cfg, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (e) {
      const reason =
        e instanceof Error && 'code' in e
          ? String((e as { code: unknown }).code)
          : 'token_exchange_failed';
      throw new DomainError(
        ErrorCode.Unauthenticated,
        `OIDC callback rejected: ${e instanceof Error ? e.message : String(e)}`,
        [],
        { reason },
      );
    }
    const claims = tokens.claims()!;
    const info = await this.lib.fetchUserInfo(cfg, tokens.access_token, claims.sub);
    const str = (v: unknown): string | null =>
      typeof v === 'string' && v.trim() ? v.trim() : null;
    const name =
      str(info.name) ??
      ([str(info.given_name), str(info.family_name)].filter(Boolean).join(' ') || claims.sub);
    return {
      issuer: String(claims.iss),
      subject: claims.sub,
      displayName: name,
      personalCode: str(info.personal_code),
      email: str(info.email),
      emailVerified: info.email_verified === true,
      locale: str(info.locale),
    };
  }
}
