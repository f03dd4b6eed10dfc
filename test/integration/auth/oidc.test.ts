import { Account } from '../../../src/platform/accounts/account.entity';
import { seedDemoAccounts } from '../../../src/platform/accounts/demo-accounts';
import { RoleAssignment } from '../../../src/platform/accounts/role-assignment.entity';
import { SignInAttempt } from '../../../src/platform/auth/sign-in-attempt.entity';
import type { Municipality } from '../../../src/platform/tenancy/municipality.entity';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { Person } from '../../../src/persons/person.entity';
import { enrolTotp } from '../../support/two-factor';
import { type AuthApp, Browser, csrfIn, startAuthApp } from './auth-support';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(20_000);

/** Posts the form whose action matches, with its hidden fields plus `fields`. */
async function submit(
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

/** Sign-in page → "Sign in with eID" → dev IdP login → consent → back to Civitas. */
async function eidSignIn(
  b: Browser,
  municipalityId: string,
  login: string,
  password: string,
  returnTo?: string,
) {
  const page = await (
    await b.get(`/auth/sign-in${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`)
  ).text();
  const start = await submit(b, page, '/auth/oidc/start', { municipalityId });
  expect(start.status).toBe(303);
  const authorize = new URL(start.headers.get('location')!);
  const toLogin = await b.follow(start);
  expect(toLogin.res.status).toBe(200);
  const loginPage = await toLogin.res.text();
  const afterLogin = await submit(b, loginPage, '/login', { login, password });
  let hop = await b.follow(afterLogin);
  if (hop.res.status === 200 && hop.visited.at(-1)?.includes('/interaction/')) {
    const consent = await hop.res.text();
    hop = await b.follow(await submit(b, consent, '/confirm'));
  }
  return { authorize, loginPage, afterLogin, final: hop.res, visited: hop.visited };
}

describe('OIDC sign-in through the in-process dev identity provider', () => {
  let a: AuthApp;
  let m: Municipality;
  beforeAll(async () => {
    a = await startAuthApp();
    m = await createMunicipality(a.ds);
  });
  afterAll(() => a.close());

  it('completes the authorization code flow with PKCE, state and nonce and creates the citizen account (once)', async () => {
    const b = new Browser(a.url);
    // Other tests of the run may sign the same demo resident in first: the account exists once either way.
    const before = await a.ds.getRepository(Account).countBy({ personalCode: '220790-14568' });
    expect(before).toBeLessThanOrEqual(1);

    const flow = await eidSignIn(b, m.id, '220790-14568', 'eid-demo', '/my-cases');
    const q = flow.authorize.searchParams;
    expect(flow.authorize.pathname).toBe('/oidc/auth');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')).toBeTruthy();
    expect(q.get('nonce')).toBeTruthy();
    expect(q.get('scope')).toBe('openid profile email eid');
    expect(flow.loginPage).toContain('Personas kods vai darbinieka lietotājvārds');

    const callback = flow.visited.find((u) => u.includes('/auth/oidc/callback'));
    expect(callback).toBeDefined();
    expect(new URL(callback!).searchParams.get('state')).toBe(q.get('state'));
    expect(flow.visited.at(-1)).toBe(`${a.url}/my-cases`);

    const me = await (await b.get('/api/auth/session', { accept: 'application/json' })).json();
    expect(me.user).toMatchObject({
      displayName: 'Līga Kalniņa',
      municipalityId: m.id,
      roles: ['citizen'],
    });

    const acc = await a.ds.getRepository(Account).findOneByOrFail({ personalCode: '220790-14568' });
    // The issuer is this app's when this sign-in created the account (another app of the run may have).
    expect(acc).toMatchObject({
      displayName: 'Līga Kalniņa',
      passwordHash: null,
      oidcSubject: 'eid-220790-14568',
      ...(before === 0 ? { oidcIssuer: `${a.url}/oidc` } : {}),
    });
    expect(
      await a.ds.getRepository(RoleAssignment).findBy({ accountId: acc.id, municipalityId: m.id }),
    ).toEqual([
      expect.objectContaining({ municipalityId: m.id, role: 'citizen', processKey: null }),
    ]);
    // Other apps of the run may have signed her in elsewhere: this municipality's attempt is the one.
    const ok = await a.ds
      .getRepository(SignInAttempt)
      .findBy({ accountId: acc.id, municipalityId: m.id });
    expect(ok).toEqual([
      expect.objectContaining({ method: 'oidc', outcome: 'success', municipalityId: m.id }),
    ]);
  });

  it('signs the same citizen in again without creating a second account', async () => {
    const b = new Browser(a.url);
    const flow = await eidSignIn(b, m.id, '220790-14568', 'eid-demo');
    expect(flow.final.status).toBe(200);
    expect(await a.ds.getRepository(Account).countBy({ personalCode: '220790-14568' })).toBe(1);
  });

  it('matches the resident to their own person record in the chosen municipality', async () => {
    const person = await a.app.get(TenantDb).run(m.id, (em) =>
      em.save(
        em.create(Person, {
          municipalityId: m.id,
          personalCode: '290165-13409',
          givenName: 'Pēteris',
          familyName: 'Kļaviņš',
          birthDate: '1965-01-29',
        }),
      ),
    );
    const b = new Browser(a.url);
    await eidSignIn(b, m.id, '29016513409', 'eid-demo');
    const me = await (await b.get('/api/auth/session', { accept: 'application/json' })).json();
    expect(me.user).toMatchObject({ displayName: 'Pēteris Kļaviņš', personId: person.id });
    // Another municipality has no record of him: no person id there.
    const other = await createMunicipality(a.ds);
    const b2 = new Browser(a.url);
    await eidSignIn(b2, other.id, '290165-13409', 'eid-demo');
    expect(
      (await (await b2.get('/api/auth/session', { accept: 'application/json' })).json()).user,
    ).toMatchObject({ municipalityId: other.id, personId: null });
  });

  it('shows the dev IdP login again on a wrong password', async () => {
    const b = new Browser(a.url);
    const page = await (await b.get('/auth/sign-in')).text();
    const start = await submit(b, page, '/auth/oidc/start', { municipalityId: m.id });
    const loginPage = await (await b.follow(start)).res.text();
    const wrong = await submit(b, loginPage, '/login', {
      login: '031178-10239',
      password: 'guess',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Nezināma persona vai nepareiza parole.');
  });

  it('rejects a callback whose state does not match and logs the failure', async () => {
    const b = new Browser(a.url);
    // Other tests of the run may have signed this demo resident in already: the forged callback adds nothing.
    const accountsBefore = await a.ds
      .getRepository(Account)
      .countBy({ personalCode: '031178-10239' });
    const page = await (await b.get('/auth/sign-in')).text();
    const start = await submit(b, page, '/auth/oidc/start', { municipalityId: m.id });
    const loginPage = await (await b.follow(start)).res.text();
    const afterLogin = await submit(b, loginPage, '/login', {
      login: '031178-10239',
      password: 'eid-demo',
    });
    let hop = await b.follow(afterLogin);
    if (hop.visited.at(-1)?.includes('/interaction/')) {
      const consent = await hop.res.text();
      const confirmed = await submit(b, consent, '/confirm');
      hop = { res: confirmed, visited: [] };
      // Follow only up to the callback, then tamper with it.
      let res = confirmed;
      while (!res.headers.get('location')!.includes('/auth/oidc/callback'))
        res = await b.get(res.headers.get('location')!);
      hop = { res, visited: [] };
    }
    const cb = new URL(
      hop.res.headers.get('location') ??
        hop.visited.find((u) => u.includes('/auth/oidc/callback'))!,
      a.url,
    );
    cb.searchParams.set('state', 'forged-state');
    const res = await b.get(cb.href);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Pieslēgšanos ar eID neizdevās pabeigt');
    expect(await a.ds.getRepository(Account).countBy({ personalCode: '031178-10239' })).toBe(
      accountsBefore,
    );
    const logged = await a.ds
      .getRepository(SignInAttempt)
      .find({ where: { method: 'oidc', outcome: 'failure' }, order: { at: 'DESC' }, take: 1 });
    expect(logged[0].reason).not.toBe('');
  });

  it('refuses a callback with no pending request (e.g. replayed in another browser)', async () => {
    const res = await new Browser(a.url).get('/auth/oidc/callback?code=abc&state=xyz');
    expect(res.status).toBe(401);
  });

  it('links a demo staff member by verified e-mail and opens the workspace', async () => {
    const staffM = await createMunicipality(a.ds);
    await seedDemoAccounts(a.ds, staffM.id);
    const b = new Browser(a.url);
    const flow = await eidSignIn(b, staffM.id, `caseworker.${staffM.code}`, 'eid-demo');
    expect(flow.visited.at(-1)).toBe(`${a.url}/workspace`);
    expect(flow.final.status).toBe(200);
    const acc = await a.ds
      .getRepository(Account)
      .findOneByOrFail({ username: `caseworker.${staffM.code}` });
    expect(acc.oidcSubject).toBe(`staff-caseworker.${staffM.code}`);
  });

  it('asks an enrolled staff member for the one-time code after the eID step too', async () => {
    const staffM = await createMunicipality(a.ds);
    await seedDemoAccounts(a.ds, staffM.id);
    const acc = await a.ds
      .getRepository(Account)
      .findOneByOrFail({ username: `manager.${staffM.code}` });
    const { recoveryCodes } = await enrolTotp(a.app, acc.id);
    const b = new Browser(a.url);
    const flow = await eidSignIn(b, staffM.id, `manager.${staffM.code}`, 'eid-demo');
    expect(flow.visited.at(-1)).toBe(`${a.url}/auth/sign-in/code`);
    expect((await b.get('/workspace')).status).toBe(303);
    const page = await (await b.get('/auth/sign-in/code')).text();
    const done = await b.postForm('/auth/sign-in/code', {
      _csrf: csrfIn(page),
      code: recoveryCodes[0],
    });
    expect(done.headers.get('location')).toBe('/workspace');
    expect((await b.get('/workspace')).status).toBe(200);
  });

  it('never links a resident to a staff account that happens to share the e-mail', async () => {
    const staff = await a.accounts.createStaff({
      username: 'elina.staff',
      displayName: 'Staff Elīna',
      email: 'elina.liepina@example.lv',
      password: 'long enough password',
    });
    await a.accounts.grant(staff.id, m.id, 'administrator');
    const b = new Browser(a.url);
    await eidSignIn(b, m.id, '090602-21704', 'eid-demo');
    const me = (await (await b.get('/api/auth/session', { accept: 'application/json' })).json())
      .user;
    expect(me.accountId).not.toBe(staff.id);
    expect(me.roles).toEqual(['citizen']);
    expect(
      (await a.ds.getRepository(Account).findOneByOrFail({ id: staff.id })).oidcSubject,
    ).toBeNull();
  });

  it('applies the strict CSP to the identity provider pages too', async () => {
    const b = new Browser(a.url);
    const page = await (await b.get('/auth/sign-in')).text();
    const start = await submit(b, page, '/auth/oidc/start', {
      municipalityId: m.id,
      _csrf: csrfIn(page),
    });
    const login = (await b.follow(start)).res;
    expect(login.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await login.text()).not.toMatch(/<script(?![^>]*src=)/);
  });
});
