import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { APP_CONFIG, type AppConfig } from '../../src/config/config';
import { enrolTotp } from './two-factor';
import { createStaff, type GrantSpec } from '../factories/accounts';
import { DEV_IDP_PASSWORD } from '../../src/platform/accounts/demo-identities';
import { Browser } from '../integration/auth/auth-support';

export { Browser, startAuthApp } from '../integration/auth/auth-support';

export interface Session {
  accountId: string;
  username: string;
  /** A supertest agent carrying the session cookie. */
  agent: ReturnType<typeof request.agent>;
  /** Send as X-CSRF-Token on state-changing API calls. */
  csrf: string;
  /** Cookie + CSRF headers, for `.set(s.headers)` or fetch. */
  headers: Record<string, string>;
}

/**
 * Creates a staff account with these grants in one municipality and signs it in through the real
 * password form (argon2id, session regeneration, CSRF): tests act as a real signed-in user.
 */
export async function signInStaff(
  app: INestApplication,
  municipalityId: string,
  grants: GrantSpec[],
): Promise<Session> {
  const { id, username, password } = await createStaff(app, municipalityId, grants);
  // Where administrators must have a second factor, they get one and give a recovery code.
  const admin =
    grants.includes('administrator') && app.get<AppConfig>(APP_CONFIG).ADMIN_TOTP_REQUIRED;
  const recovery = admin ? (await enrolTotp(app, id)).recoveryCodes[0] : null;
  const agent = request.agent(app.getHttpServer());
  const before = await agent.get('/api/auth/session').expect(200);
  let res = await agent
    .post('/auth/sign-in')
    .type('form')
    .send({ _csrf: before.body.csrfToken, username, password, municipalityId });
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
  if (recovery) {
    const step = await agent.get('/api/auth/session').expect(200);
    res = await agent
      .post('/auth/sign-in/code')
      .type('form')
      .send({ _csrf: step.body.csrfToken, code: recovery });
    if (res.status !== 303) throw new Error(`second factor failed with ${res.status}`);
  }
  const after = await agent.get('/api/auth/session').expect(200);
  if (!after.body.user) throw new Error('not signed in after sign-in');
  const cookie = (res.headers['set-cookie'] as unknown as string[])
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = after.body.csrfToken as string;
  return { accountId: id, username, agent, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

/** Posts the form whose action contains `actionPart`, with its hidden fields plus `fields`. */
export async function submitForm(
  b: Browser,
  html: string,
  actionPart: string,
  fields: Record<string, string> = {},
): Promise<Response> {
  const forms = [...html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms.find((f) => f[1].includes(actionPart));
  if (!form) throw new Error(`no form posting to ${actionPart}`);
  const hidden = Object.fromEntries(
    [...form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((h) => [
      h[1],
      h[2],
    ]),
  );
  return b.postForm(form[1].replace(/&amp;/g, '&'), { ...hidden, ...fields });
}

/**
 * A resident signs in for real: sign-in page → "Sign in with eID" → the in-process dev identity
 * provider's login (a demo identity, see DEMO_CITIZENS) → consent → back to Civitas. The app must
 * listen on its PUBLIC_URL (startAuthApp does that). Returns the browser stand-in with its cookies.
 */
export async function signInCitizen(
  baseUrl: string,
  municipalityId: string,
  personalCode: string,
): Promise<Browser> {
  const b = new Browser(baseUrl);
  const page = await (await b.get('/auth/sign-in')).text();
  const start = await submitForm(b, page, '/auth/oidc/start', { municipalityId });
  const toLogin = await b.follow(start);
  const afterLogin = await submitForm(b, await toLogin.res.text(), '/login', {
    login: personalCode,
    password: DEV_IDP_PASSWORD,
  });
  let hop = await b.follow(afterLogin);
  if (hop.res.status === 200 && hop.visited.at(-1)?.includes('/interaction/')) {
    hop = await b.follow(await submitForm(b, await hop.res.text(), '/confirm'));
  }
  const me = (await (await b.get('/api/auth/session', { accept: 'application/json' })).json()) as {
    user: unknown;
  };
  if (!me.user)
    throw new Error(`citizen ${personalCode} is not signed in (last hop ${hop.res.status})`);
  return b;
}
