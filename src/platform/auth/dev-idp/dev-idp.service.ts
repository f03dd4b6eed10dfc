import { createHash, createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import express, { type Request, type Response, type Router } from 'express';
import hbs from 'hbs';
import type ProviderType from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { isLang, type Lang } from '../../i18n/i18n.service';
import { fromRoot } from '../../paths';
import { hostRealm, requireEsm } from '../esm';
import { OIDC_CALLBACK_PATH, oidcIssuer } from '../oidc-client.service';
import { type DevIdentity, findDevIdentity, listDevIdentities } from './dev-identities';

type OidcProviderModule = { default: typeof ProviderType };

const view = (name: string): HandlebarsTemplateDelegate =>
  hbs.handlebars.compile(
    readFileSync(fromRoot('src/platform/auth/dev-idp/views', `${name}.hbs`), 'utf8'),
  );

/**
 * Development identity provider (oidc-provider 9) mounted in-process under /oidc. It stands in for
 * the national eID: citizens carry a personal code claim (scope `eid`), demo staff a verified e-mail.
 * Only mounted when DEV_IDP_ENABLED; tokens and sessions live in memory.
 */
@Injectable()
export class DevIdp {
  private readonly log = new Logger('DevIdp');
  readonly provider: ProviderType;
  private readonly pages: Record<
    'layout' | 'login' | 'consent' | 'error',
    HandlebarsTemplateDelegate
  >;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { default: Provider } = requireEsm<OidcProviderModule>('oidc-provider');
    this.pages = {
      layout: view('layout'),
      login: view('login'),
      consent: view('consent'),
      error: view('error'),
    };
    this.provider = new Provider(oidcIssuer(config), hostRealm(this.configuration()));
    if (config.NODE_ENV === 'production')
      this.log.warn(
        'DEV_IDP_ENABLED in production: anyone can sign in as a demo person. Set DEV_IDP_ENABLED=false.',
      );
    this.provider.on('server_error', (_ctx: unknown, err: Error) =>
      this.log.error({ err }, 'dev IdP server error'),
    );
  }

  private configuration(): Configuration {
    const publicUrl = this.config.PUBLIC_URL.replace(/\/$/, '');
    const signingJwk = devSigningJwk();
    const keySeed = createHash('sha256')
      .update(`dev-idp:${this.config.SESSION_SECRET}`)
      .digest('base64url');
    return {
      clients: [
        {
          client_id: this.config.OIDC_CLIENT_ID,
          client_secret: this.config.OIDC_CLIENT_SECRET,
          redirect_uris: [`${publicUrl}${OIDC_CALLBACK_PATH}`],
          response_types: ['code'],
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      pkce: { required: () => true },
      claims: {
        openid: ['sub'],
        profile: ['name', 'given_name', 'family_name', 'locale'],
        email: ['email', 'email_verified'],
        eid: ['personal_code'],
      },
      findAccount: (_ctx, sub) => {
        const who = findDevIdentity(sub);
        return who ? { accountId: sub, claims: () => claimsOf(who) } : undefined;
      },
      ttl: {
        Interaction: 3600,
        Session: 3600,
        Grant: 3600,
        AccessToken: 600,
        IdToken: 600,
        AuthorizationCode: 60,
      },
      interactions: { url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}` },
      cookies: {
        keys: [keySeed],
        long: { signed: true, httpOnly: true, sameSite: 'lax', secure: this.config.SECURE_COOKIES },
        short: {
          signed: true,
          httpOnly: true,
          sameSite: 'lax',
          secure: this.config.SECURE_COOKIES,
        },
      },
      jwks: { keys: [{ ...signingJwk, kid: 'dev-idp', use: 'sig', alg: 'RS256' }] as never },
      features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: false } },
      renderError: (ctx: KoaContextWithOIDC, out) => {
        ctx.type = 'html';
        ctx.body = this.page(langOf(ctx.query.ui_locales), 'error', {
          error: out.error,
          description: out.error_description,
        });
      },
    };
  }

  /** Express router for /oidc: our interaction pages first, then everything else to the provider. */
  router(): Router {
    const r = express.Router();
    const form = express.urlencoded({ extended: false, limit: '8kb' });
    const wrap =
      (fn: (req: Request, res: Response) => Promise<void>) =>
      (req: Request, res: Response, next: (e?: unknown) => void) => {
        fn(req, res).catch(next);
      };
    r.get(
      '/interaction/:uid',
      wrap((req, res) => this.showInteraction(req, res)),
    );
    r.post(
      '/interaction/:uid/login',
      form,
      wrap((req, res) => this.login(req, res)),
    );
    r.post(
      '/interaction/:uid/confirm',
      form,
      wrap((req, res) => this.confirm(req, res)),
    );
    r.post(
      '/interaction/:uid/abort',
      form,
      wrap((req, res) => this.abort(req, res)),
    );
    const provider = this.provider.callback();
    r.use((req: Request, res: Response) => {
      void provider(req, res);
    });
    r.use((err: unknown, req: Request, res: Response, _next: (e?: unknown) => void) => {
      this.log.warn({ err }, 'dev IdP interaction failed');
      res
        .status(400)
        .type('html')
        .send(
          this.page(langOf(req.query.ui_locales), 'error', {
            error: 'invalid_request',
            description: '',
          }),
        );
    });
    return r;
  }

  private page(
    lang: Lang,
    name: 'login' | 'consent' | 'error',
    data: Record<string, unknown>,
  ): string {
    const ctx = { lang, ...data };
    return this.pages.layout({ ...ctx, body: this.pages[name](ctx) });
  }

  private async showInteraction(req: Request, res: Response): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
    const lang = langOf(details.params.ui_locales);
    if (details.uid !== req.params.uid) throw new Error('interaction mismatch');
    if (details.prompt.name === 'login') {
      res
        .type('html')
        .send(this.page(lang, 'login', { uid: details.uid, identities: listDevIdentities() }));
    } else {
      res.type('html').send(
        this.page(lang, 'consent', {
          uid: details.uid,
          scopes: String(details.params.scope ?? '').split(' '),
        }),
      );
    }
  }

  private async login(req: Request, res: Response): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
    const body = req.body as { login?: string; password?: string };
    const who = findDevIdentity(String(body.login ?? ''));
    if (!who || body.password !== who.password) {
      res
        .status(401)
        .type('html')
        .send(
          this.page(langOf(details.params.ui_locales), 'login', {
            uid: details.uid,
            identities: listDevIdentities(),
            failed: true,
            login: body.login,
          }),
        );
      return;
    }
    await this.provider.interactionFinished(
      req,
      res,
      hostRealm({ login: { accountId: who.sub } }),
      hostRealm({ mergeWithLastSubmission: false }),
    );
  }

  private async confirm(req: Request, res: Response): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
    const { prompt, params, session } = details;
    if (prompt.name !== 'consent' || !session) throw new Error('no consent prompt');
    const grant = details.grantId
      ? await this.provider.Grant.find(details.grantId)
      : new this.provider.Grant(
          hostRealm({ accountId: session.accountId, clientId: String(params.client_id) }),
        );
    if (!grant) throw new Error('grant not found');
    const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await this.provider.interactionFinished(
      req,
      res,
      hostRealm({ consent: { grantId } }),
      hostRealm({ mergeWithLastSubmission: true }),
    );
  }

  private async abort(req: Request, res: Response): Promise<void> {
    await this.provider.interactionFinished(
      req,
      res,
      hostRealm({ error: 'access_denied', error_description: 'The user cancelled the sign-in' }),
      hostRealm({ mergeWithLastSubmission: false }),
    );
  }
}

const langOf = (v: unknown): Lang => {
  const first = String(v ?? '').split(' ')[0];
  return isLang(first) ? first : 'lv';
};

function claimsOf(who: DevIdentity): { sub: string; [claim: string]: unknown } {
  return {
    sub: who.sub,
    name: `${who.givenName} ${who.familyName}`,
    given_name: who.givenName,
    family_name: who.familyName,
    locale: 'lv',
    email: who.email,
    email_verified: true,
    ...(who.personalCode ? { personal_code: who.personalCode } : {}),
  };
}

/**
 * The dev IdP's signing key, one per process (it signs only demo tokens and lives in memory).
 * The key comes out of generateKeyPairSync as PEM and the JWK is exported from a key object of its
 * own: Node 20 can deadlock when a GC during `export({ format: 'jwk' })` of the generated key
 * object frees the generation job that shares its lock (seen as a CI run stuck in
 * KeyGenJob::~KeyGenJob under ExportJWK, main thread in futex_wait).
 */
let signingJwk: JsonWebKey | undefined;
function devSigningJwk(): JsonWebKey {
  if (!signingJwk) {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    signingJwk = createPrivateKey(privateKey).export({ format: 'jwk' });
  }
  return signingJwk;
}
