import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Municipality } from '../../../src/platform/tenancy/municipality.entity';
import { type AuthApp, Browser, startAuthApp } from '../auth/auth-support';
import { createMunicipality } from '../../factories/municipalities';
import { createStaff } from '../../factories/accounts';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');
/** Behind the HTTPS proxy (trust proxy: loopback): express-session sets Secure cookies only on secure requests. */
const HTTPS = { 'x-forwarded-proto': 'https' };

/** A production environment with secrets of its own and no development component. */
const REAL = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-real-session-secret-of-at-least-32-chars',
  OIDC_CLIENT_SECRET: 'a-real-oidc-client-secret',
  SEAL_PASSPHRASE: 'a-real-seal-passphrase',
  DEV_IDP_ENABLED: 'false',
  REGISTERS: 'gateway',
  EADRESE_MODE: 'div',
  REGISTER_GATEWAY_URL: 'https://registers.example.invalid',
  EADRESE_ENDPOINT: 'https://div.example.invalid',
  EADRESE_CERT_P12: '/nonexistent/div.p12',
  EADRESE_CERT_PASSWORD: 'a-real-p12-password',
  PSPP_MODE: 'http',
  PSPP_ENDPOINT: 'https://pspp.example.invalid/api/v1/service-status',
  // The default; the test run's environment turns it off for suites about other things.
  ADMIN_TOTP_REQUIRED: 'true',
};

/** Runs a TypeScript entry point (swc require hook) with this environment; nothing else inherited but PATH and the database URLs. */
function runTs(
  entry: string,
  args: string[],
  env: Record<string, string>,
): { status: number | null; out: string } {
  const keep = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k === 'PATH' || k.startsWith('DATABASE_')),
  ) as Record<string, string>;
  const r = spawnSync(
    process.execPath,
    ['-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, entry), ...args],
    {
      cwd: ROOT,
      env: { ...keep, LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('a demonstration installation (NODE_ENV=production, DEMO_MODE=true)', () => {
  let a: AuthApp;
  let m: Municipality;
  beforeAll(async () => {
    a = await startAuthApp({ NODE_ENV: 'production', DEMO_MODE: 'true' });
    m = await createMunicipality(a.ds);
  });
  afterAll(() => a.close());

  it.each([
    ['lv', 'Demonstrācijas instalācija: nav paredzēta īstiem datiem.'],
    ['en', 'Demonstration installation: not for real data.'],
    ['el', 'Εγκατάσταση επίδειξης: όχι για πραγματικά δεδομένα.'],
  ])('shows the banner on every page (%s)', async (lang, text) => {
    const b = new Browser(a.url);
    for (const path of ['/', '/auth/sign-in', '/verify', '/no-such-page']) {
      const html = await (await b.get(`${path}?lang=${lang}`, HTTPS)).text();
      expect(html).toContain('data-testid="demo-banner"');
      expect(html).toContain(text);
    }
  });

  it('sets the session and sign-in cookies Secure (and HttpOnly) at sign-in', async () => {
    const staff = await createStaff(a.app, m.id, ['caseworker']);
    const b = new Browser(a.url);
    const page = await b.get('/auth/sign-in', HTTPS);
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
    const res = await b.postForm(
      '/auth/sign-in',
      { _csrf: token, username: staff.username, password: staff.password },
      HTTPS,
    );
    expect(res.status).toBe(303);
    const cookies = res.headers.getSetCookie();
    const sid = cookies.find((c) => c.startsWith('civitas.sid='));
    const marker = cookies.find((c) => c.startsWith('civitas_signed_in='));
    expect(sid).toMatch(/; Secure/);
    expect(sid).toMatch(/; HttpOnly/);
    expect(marker).toMatch(/; Secure/);
  });
});

describe('a production installation with secrets of its own', () => {
  let a: AuthApp;
  let m: Municipality;
  beforeAll(async () => {
    a = await startAuthApp(REAL);
    m = await createMunicipality(a.ds);
  });
  afterAll(() => a.close());

  it('shows no demonstration banner and sets Secure cookies at sign-in', async () => {
    const b = new Browser(a.url);
    const html = await (await b.get('/auth/sign-in', HTTPS)).text();
    expect(html).not.toContain('demo-banner');
    const staff = await createStaff(a.app, m.id, ['caseworker']);
    const token = /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const res = await b.postForm(
      '/auth/sign-in',
      { _csrf: token, username: staff.username, password: staff.password },
      HTTPS,
    );
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('civitas.sid='))).toMatch(
      /; Secure/,
    );
  });
});

describe('refusals in production', () => {
  it('the app does not start with the development defaults (exit 78, naming each setting)', () => {
    const r = runTs('src/main.ts', [], { NODE_ENV: 'production', PORT: '0' });
    expect(r.status).toBe(78);
    for (const name of [
      'SESSION_SECRET',
      'OIDC_CLIENT_SECRET',
      'SEAL_PASSPHRASE',
      'DEV_IDP_ENABLED',
      'REGISTERS',
      'EADRESE_MODE',
      'PSPP_MODE',
    ])
      expect(r.out).toContain(`${name}: `);
    expect(r.out).toContain('not allowed in production');
  });

  it('seed:demo refuses in production (demo accounts have a published password) and names DEMO_MODE', () => {
    const r = runTs('src/cli.ts', ['seed:demo'], REAL);
    expect(r.status).toBe(1);
    expect(r.out).toContain('seed:demo refuses to run in production');
    expect(r.out).toContain('DEMO_MODE=true');
  });
});
