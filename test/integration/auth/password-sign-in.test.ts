import { Account } from '../../../src/platform/accounts/account.entity';
import { HttpSession } from '../../../src/platform/auth/http-session.entity';
import { SignInAttempt } from '../../../src/platform/auth/sign-in-attempt.entity';
import type { Municipality } from '../../../src/platform/tenancy/municipality.entity';
import { type AuthApp, Browser, signIn, startAuthApp } from './auth-support';
import { createMunicipality } from '../../factories/municipalities';
import { createStaff } from '../../factories/accounts';

describe('staff sign-in with a password', () => {
  let a: AuthApp;
  let m: Municipality;
  beforeAll(async () => {
    a = await startAuthApp();
    m = await createMunicipality(a.ds);
  });
  afterAll(() => a.close());

  it('stores only an argon2id hash of the password', async () => {
    const staff = await createStaff(a.app, m.id, ['caseworker']);
    const row = await a.ds.getRepository(Account).findOneByOrFail({ id: staff.id });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(row.passwordHash).not.toContain(staff.password);
  });

  it('signs a caseworker in under a new session id and shows the workspace', async () => {
    const staff = await createStaff(a.app, m.id, ['caseworker']);
    const b = new Browser(a.url);
    const token = await b.csrfFrom('/auth/sign-in');
    // The sign-in page stores no session (M4); one that exists before sign-in (here the eID
    // start's) must not carry over: sign-in issues a new id and deletes the old row.
    expect(b.sid).toBeUndefined();
    await b.postForm('/auth/oidc/start', { _csrf: token });
    const before = b.sid;
    expect(before).toBeDefined();
    expect(await a.ds.getRepository(HttpSession).countBy({ sid: sidOf(before!) })).toBe(1);

    const res = await b.postForm('/auth/sign-in', {
      _csrf: token,
      username: staff.username.toUpperCase(),
      password: staff.password,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/workspace');
    expect(b.sid).toBeDefined();
    expect(b.sid).not.toBe(before);
    // The pre-sign-in session is gone from the store; the new one carries the account id.
    const rows = await a.ds.getRepository(HttpSession).findBy({ accountId: staff.id });
    expect(rows).toHaveLength(1);
    expect(decodeURIComponent(b.sid!)).toContain(rows[0].sid);
    expect(await a.ds.getRepository(HttpSession).countBy({ sid: sidOf(before!) })).toBe(0);

    const ws = await b.get('/workspace');
    expect(ws.status).toBe(200);
    expect(await ws.text()).toContain(`Staff ${staff.username}`);

    const attempt = await a.ds
      .getRepository(SignInAttempt)
      .findOneByOrFail({ accountId: staff.id, outcome: 'success' });
    expect(attempt).toMatchObject({
      method: 'password',
      identifier: staff.username,
      municipalityId: m.id,
    });
  });

  it('refuses a wrong password with a message in the user language and logs why', async () => {
    const staff = await createStaff(a.app, m.id, ['manager']);
    const b = new Browser(a.url);
    const res = await signIn(b, staff.username, 'not the password');
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('Nepareizs lietotājvārds vai parole');
    expect(html).toContain(`value="${staff.username}"`);
    expect((await b.get('/workspace')).status).toBe(303);
    const attempt = await a.ds
      .getRepository(SignInAttempt)
      .findOneByOrFail({ accountId: staff.id });
    expect(attempt).toMatchObject({ outcome: 'failure', reason: 'bad_password' });
  });

  it('signs the previous user out when a sign-in is tried while signed in, so a failed attempt leaves nobody in the header (D25)', async () => {
    const first = await createStaff(a.app, m.id, ['caseworker']);
    const b = new Browser(a.url);
    expect(
      (
        await b.postForm('/auth/sign-in', {
          _csrf: await b.csrfFrom('/auth/sign-in'),
          username: first.username,
          password: first.password,
        })
      ).status,
    ).toBe(303);
    const signedInSid = b.sid;
    const failed = await b.postForm('/auth/sign-in', {
      _csrf: await b.csrfFrom('/auth/sign-in'),
      username: first.username,
      password: 'not-the-password',
    });
    expect(failed.status).toBe(401);
    const html = await failed.text();
    expect(html).not.toContain(`Staff ${first.username}`);
    expect(html).not.toContain('action="/auth/sign-out"');
    expect(await a.ds.getRepository(HttpSession).countBy({ sid: sidOf(signedInSid!) })).toBe(0);
    const ws = await b.get('/workspace');
    expect(ws.status).not.toBe(200);
    // The form on the failed page still works: the right password signs in from there.
    const retry = await b.postForm('/auth/sign-in', {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1],
      username: first.username,
      password: first.password,
    });
    expect(retry.status).toBe(303);
  });

  it('answers an unknown username exactly like a wrong password, and logs it', async () => {
    const b = new Browser(a.url);
    const res = await signIn(b, 'nobody.here', 'whatever password', {});
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Nepareizs lietotājvārds vai parole');
    const attempt = await a.ds
      .getRepository(SignInAttempt)
      .findOneByOrFail({ identifier: 'nobody.here' });
    expect(attempt).toMatchObject({
      outcome: 'failure',
      reason: 'unknown_account',
      accountId: null,
    });
  });

  it('names the empty fields in English when asked', async () => {
    const b = new Browser(a.url);
    const token = await b.csrfFrom('/auth/sign-in?lang=en');
    const res = await b.postForm('/auth/sign-in', { _csrf: token, username: '', password: '' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Enter your username.');
    expect(html).toContain('Enter your password.');
  });

  it('does not let a citizen-only account sign in with a password', async () => {
    const staff = await createStaff(a.app, m.id, ['citizen']);
    const res = await signIn(new Browser(a.url), staff.username, staff.password);
    expect(res.status).toBe(401);
    const attempt = await a.ds
      .getRepository(SignInAttempt)
      .findOneByOrFail({ accountId: staff.id });
    expect(attempt.reason).toBe('no_staff_role');
  });

  it('signs out with a POST: the session row is deleted and the workspace asks to sign in again', async () => {
    const staff = await createStaff(a.app, m.id, ['caseworker']);
    const b = new Browser(a.url);
    await signIn(b, staff.username, staff.password);
    const page = await (await b.get('/workspace')).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const out = await b.postForm('/auth/sign-out', { _csrf: token });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/auth/sign-in?signedOut=1');
    expect(await a.ds.getRepository(HttpSession).countBy({ accountId: staff.id })).toBe(0);
    const again = await b.get('/workspace');
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/auth/sign-in?returnTo=%2Fworkspace');
    const notice = await (await b.get('/auth/sign-in?signedOut=1')).text();
    expect(notice).toContain('Jūs esat atslēdzies.');
  });
});

/** express-session cookie value: s:<sid>.<signature> (URL-encoded). */
export const sidOf = (cookie: string): string =>
  decodeURIComponent(cookie)
    .replace(/^s:/, '')
    .replace(/\.[^.]+$/, '');
