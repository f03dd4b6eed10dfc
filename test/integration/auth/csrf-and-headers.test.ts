import { HttpSession } from '../../../src/platform/auth/http-session.entity';
import { SignInAttempt } from '../../../src/platform/auth/sign-in-attempt.entity';
import { type AuthApp, Browser, csrfIn, signIn, startAuthApp } from './auth-support';
import { createMunicipality } from '../../factories/municipalities';
import { createStaff } from '../../factories/accounts';

describe('CSRF protection', () => {
  let a: AuthApp;
  let mA: string;
  let mB: string;
  beforeAll(async () => {
    a = await startAuthApp();
    mA = (await createMunicipality(a.ds)).id;
    mB = (await createMunicipality(a.ds)).id;
  });
  afterAll(() => a.close());

  it('refuses a sign-in without a token: 403, no session, nothing logged', async () => {
    const staff = await createStaff(a.app, mA, ['caseworker']);
    const b = new Browser(a.url);
    await b.get('/auth/sign-in');
    const res = await b.postForm('/auth/sign-in', {
      username: staff.username,
      password: staff.password,
    });
    expect(res.status).toBe(403);
    expect(await a.ds.getRepository(HttpSession).countBy({ accountId: staff.id })).toBe(0);
    expect(await a.ds.getRepository(SignInAttempt).countBy({ identifier: staff.username })).toBe(0);
  });

  it('refuses a wrong token, and a token from another session', async () => {
    const staff = await createStaff(a.app, mA, ['caseworker']);
    const b = new Browser(a.url);
    await b.get('/auth/sign-in');
    expect(
      (
        await b.postForm('/auth/sign-in', {
          _csrf: 'forged',
          username: staff.username,
          password: staff.password,
        })
      ).status,
    ).toBe(403);
    const elsewhere = await new Browser(a.url).csrfFrom('/auth/sign-in');
    expect(
      (
        await b.postForm('/auth/sign-in', {
          _csrf: elsewhere,
          username: staff.username,
          password: staff.password,
        })
      ).status,
    ).toBe(403);
    expect(await a.ds.getRepository(HttpSession).countBy({ accountId: staff.id })).toBe(0);
  });

  it('refuses a state change by a signed-in user without the token, and nothing changes', async () => {
    const staff = await createStaff(a.app, mA, ['caseworker']);
    await a.accounts.grant(staff.id, mB, 'manager');
    const b = new Browser(a.url);
    await signIn(b, staff.username, staff.password, { municipalityId: mA });
    const res = await b.postForm('/auth/municipality', { municipalityId: mB, _csrf: 'nope' });
    expect(res.status).toBe(403);
    const me = await (await b.get('/api/auth/session', { accept: 'application/json' })).json();
    expect(me.user.municipalityId).toBe(mA);
    // Sign-out is state-changing too: without a token the session survives.
    expect((await b.postForm('/auth/sign-out', {})).status).toBe(403);
    expect(await a.ds.getRepository(HttpSession).countBy({ accountId: staff.id })).toBe(1);
  });

  it('accepts the pre-sign-in (cookie-bound) token only while signed out: signed in, only the session token counts', async () => {
    const staff = await createStaff(a.app, mA, ['caseworker']);
    await a.accounts.grant(staff.id, mB, 'caseworker');
    const b = new Browser(a.url);
    const anonymous = await b.csrfFrom('/auth/sign-in');
    expect(
      (
        await b.postForm('/auth/sign-in', {
          _csrf: anonymous,
          username: staff.username,
          password: staff.password,
          municipalityId: mA,
        })
      ).status,
    ).toBe(303);
    expect(
      (await b.postForm('/auth/municipality', { municipalityId: mB, _csrf: anonymous })).status,
    ).toBe(403);
    const me = await (await b.get('/api/auth/session', { accept: 'application/json' })).json();
    expect(me.user.municipalityId).toBe(mA);
    expect(me.csrfToken).not.toBe(anonymous);
    expect(
      (await b.postForm('/auth/municipality', { municipalityId: mB, _csrf: me.csrfToken })).status,
    ).toBe(303);
  });

  it('accepts the token in the X-CSRF-Token header for JSON requests', async () => {
    const staff = await createStaff(a.app, mA, ['caseworker']);
    await a.accounts.grant(staff.id, mB, 'caseworker');
    const b = new Browser(a.url);
    await signIn(b, staff.username, staff.password, { municipalityId: mA });
    const { csrfToken } = await (
      await b.get('/api/auth/session', { accept: 'application/json' })
    ).json();
    const bad = await b.request('/auth/municipality', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-csrf-token': 'wrong',
      },
      body: JSON.stringify({ municipalityId: mB }),
    });
    expect(bad.status).toBe(403);
    expect(await bad.json()).toMatchObject({ error: 'forbidden' });
    const ok = await b.request('/auth/municipality', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({ municipalityId: mB }),
    });
    expect(ok.status).toBe(303);
    const me = await (await b.get('/api/auth/session', { accept: 'application/json' })).json();
    expect(me.user).toMatchObject({ municipalityId: mB, roles: ['caseworker'] });
  });
});

describe('security headers and cookies', () => {
  let a: AuthApp;
  beforeAll(async () => {
    a = await startAuthApp();
  });
  afterAll(() => a.close());

  it('sends a strict CSP and the other helmet headers', async () => {
    const res = await fetch(`${a.url}/auth/sign-in`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('marks the session cookie HttpOnly and SameSite=Lax, not Secure over plain http', async () => {
    const staff = await createStaff(a.app, (await createMunicipality(a.ds)).id, ['caseworker']);
    const b = new Browser(a.url);
    const page = await b.get('/auth/sign-in');
    // Before sign-in only the CSRF nonce cookie, with the same flags; no session.
    const nonce = page.headers.getSetCookie().find((c) => c.startsWith('civitas.csrf='))!;
    expect(page.headers.getSetCookie().find((c) => c.startsWith('civitas.sid='))).toBeUndefined();
    expect(nonce).toMatch(/HttpOnly/);
    expect(nonce).toMatch(/SameSite=Lax/);
    expect(nonce).not.toMatch(/Secure/);
    const res = await b.postForm('/auth/sign-in', {
      _csrf: csrfIn(await page.text()),
      username: staff.username,
      password: staff.password,
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('civitas.sid='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('marks it Secure, and sends HSTS, when SECURE_COOKIES is on (behind a TLS proxy)', async () => {
    const secure = await startAuthApp({ SECURE_COOKIES: 'true' });
    try {
      const staff = await createStaff(secure.app, (await createMunicipality(secure.ds)).id, [
        'caseworker',
      ]);
      const b = new Browser(secure.url);
      const https = { 'x-forwarded-proto': 'https' };
      const page = await b.get('/auth/sign-in', https);
      // The nonce cookie is __Host- prefixed: Secure, path /, no domain (no subdomain can plant one).
      expect(page.headers.getSetCookie().find((c) => c.startsWith('__Host-civitas.csrf='))).toMatch(
        /; Secure/,
      );
      expect(page.headers.get('strict-transport-security')).toContain('max-age=31536000');
      const res = await b.postForm(
        '/auth/sign-in',
        { _csrf: csrfIn(await page.text()), username: staff.username, password: staff.password },
        https,
      );
      expect(res.status).toBe(303);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('civitas.sid='))!;
      expect(cookie).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });
});
