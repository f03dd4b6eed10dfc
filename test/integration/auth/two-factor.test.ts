import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Clock } from '../../../src/platform/auth/clock';
import { SignInAttempt } from '../../../src/platform/auth/sign-in-attempt.entity';
import { TOTP_ENGINE, type TotpEngine } from '../../../src/platform/auth/two-factor/totp';
import { enrolTotp } from '../../support/two-factor';
import { type AuthApp, Browser, csrfIn, signIn, startAuthApp } from './auth-support';
import { createMunicipality } from '../../factories/municipalities';
import { createStaff } from '../../factories/accounts';

/** Staff second factor (issue 12 M5): enrolment, the code step, replay, recovery codes, administrators. */
describe('TOTP second factor for staff', () => {
  let a: AuthApp;
  let municipalityId: string;
  let now: Date;
  let totp: TotpEngine;
  const later = (seconds: number): void => {
    now = new Date(now.getTime() + seconds * 1000);
  };
  const code = async (b: Browser, value: string): Promise<Response> =>
    b.postForm('/auth/sign-in/code', {
      _csrf: csrfIn(await (await b.get('/auth/sign-in/code')).text()),
      code: value,
    });

  beforeAll(async () => {
    a = await startAuthApp({ ADMIN_TOTP_REQUIRED: 'true' });
    municipalityId = (await createMunicipality(a.ds)).id;
    totp = a.app.get<TotpEngine>(TOTP_ENGINE);
  });
  afterAll(() => a?.close());
  beforeEach(() => {
    now = new Date();
    jest.spyOn(a.app.get(Clock), 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('sends an administrator without one to enrol; enrolment shows key, URI and QR, refuses a wrong code, then opens the admin pages', async () => {
    const admin = await createStaff(a.app, municipalityId, ['administrator']);
    const b = new Browser(a.url);
    expect((await signIn(b, admin.username, admin.password)).status).toBe(303);

    const blocked = await b.get('/admin');
    expect(blocked.status).toBe(303);
    expect(blocked.headers.get('location')).toBe('/auth/two-factor?returnTo=%2Fadmin');
    const api = await b.request(`/api/admin/accounts/${admin.id}/enable`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'accept-language': 'en',
        'x-csrf-token': csrfIn(await (await b.get('/auth/two-factor')).text()),
      },
    });
    expect(api.status).toBe(403);
    // In the account's own language (Latvian), which wins over the browser's.
    expect(((await api.json()) as { message: string }).message).toBe(
      'Administratoriem pirms administrēšanas lapu izmantošanas jāiestata divpakāpju verifikācija.',
    );

    const status = await (await b.get('/auth/two-factor?returnTo=%2Fadmin')).text();
    expect(status).toContain(
      '<a href="/auth/two-factor" data-testid="two-factor-link">Divpakāpju verifikācija</a>',
    );
    expect(status).toContain(
      'Administratoriem pirms administrēšanas lapu izmantošanas jāiestata divpakāpju verifikācija.',
    );
    const setup = await b.postForm('/auth/two-factor/start', {
      _csrf: csrfIn(status),
      returnTo: '/admin',
    });
    expect(setup.status).toBe(200);
    const page = await setup.text();
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page)![1];
    const shown = page.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect(shown).toContain(
      `otpauth://totp/Civitas:${admin.username}?secret=${secret}&issuer=Civitas`,
    );
    expect(shown).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);

    // Stored encrypted, never in the sign-in log.
    const [row] = (await a.ds.query(
      `SELECT secret_encrypted, enabled_at FROM staff_totp WHERE account_id = $1`,
      [admin.id],
    )) as { secret_encrypted: string; enabled_at: Date | null }[];
    expect(row.secret_encrypted).not.toContain(secret);
    expect(row.enabled_at).toBeNull();

    const wrong = await b.postForm('/auth/two-factor/confirm', {
      _csrf: csrfIn(page),
      code: '000000',
      returnTo: '/admin',
    });
    expect(wrong.status).toBe(422);
    const wrongPage = await wrong.text();
    expect(wrongPage).toContain('Kods ir nepareizs vai jau izmantots.');
    expect(wrongPage).toContain(secret);
    expect((await b.get('/admin')).status).toBe(303);

    const done = await b.postForm('/auth/two-factor/confirm', {
      _csrf: csrfIn(wrongPage),
      code: totp.generate(secret, now),
      returnTo: '/admin',
    });
    expect(done.status).toBe(200);
    const codes = [
      ...(await done.text()).matchAll(/<li><code>([A-Z2-7]{5}-[A-Z2-7]{5})<\/code><\/li>/g),
    ].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    expect((await b.get('/admin')).status).toBe(200);
    expect(
      JSON.stringify(
        await a.ds.getRepository(SignInAttempt).find({ where: { accountId: admin.id } }),
      ),
    ).not.toContain(secret);
  });

  it('asks the code after the password; a wrong code, and the same code twice, are refused', async () => {
    const staff = await createStaff(a.app, municipalityId, ['caseworker']);
    const { codeAt } = await enrolTotp(a.app, staff.id);
    later(30); // the enrolment used this step's code

    const b = new Browser(a.url);
    const first = await signIn(b, staff.username, staff.password);
    expect(first.headers.get('location')).toBe('/auth/sign-in/code');
    expect((await b.get('/workspace')).status).toBe(303); // not signed in yet

    const wrong = await code(b, '123456' === codeAt(now) ? '654321' : '123456');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Kods ir nepareizs vai jau izmantots.');

    const right = codeAt(now);
    const ok = await code(b, right);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/workspace');
    expect((await b.get('/workspace')).status).toBe(200);

    // Someone who saw the code (and knows the password) cannot use it again within its step.
    const thief = new Browser(a.url);
    await signIn(thief, staff.username, staff.password);
    expect((await code(thief, right)).status).toBe(401);
    expect((await thief.get('/workspace')).status).toBe(303);
    later(30);
    expect((await code(thief, codeAt(now))).status).toBe(303);

    const outcomes = await a.ds
      .getRepository(SignInAttempt)
      .find({ where: { accountId: staff.id }, order: { at: 'ASC' } });
    expect(outcomes.map((o) => `${o.outcome}:${o.reason}`)).toEqual([
      'failure:bad_code',
      'success:second_factor',
      'failure:bad_code',
      'success:second_factor',
    ]);
  });

  it('takes a recovery code once instead of the one-time code', async () => {
    const staff = await createStaff(a.app, municipalityId, ['manager']);
    const { recoveryCodes } = await enrolTotp(a.app, staff.id);
    const b = new Browser(a.url);
    await signIn(b, staff.username, staff.password);
    expect((await code(b, recoveryCodes[3].toLowerCase())).status).toBe(303);
    const again = new Browser(a.url);
    await signIn(again, staff.username, staff.password);
    expect((await code(again, recoveryCodes[3])).status).toBe(401);
  });

  it('lets an enrolled administrator reach the admin pages only through the code step', async () => {
    const admin = await createStaff(a.app, municipalityId, ['administrator']);
    const { codeAt } = await enrolTotp(a.app, admin.id);
    later(30);
    const b = new Browser(a.url);
    await signIn(b, admin.username, admin.password);
    expect((await b.get('/admin')).headers.get('location')).toMatch(/^\/auth\/sign-in/);
    expect((await code(b, codeAt(now))).status).toBe(303);
    expect((await b.get('/admin')).status).toBe(200);
  });

  it('drops a code step left for longer than five minutes', async () => {
    const staff = await createStaff(a.app, municipalityId, ['caseworker']);
    const { codeAt } = await enrolTotp(a.app, staff.id);
    const b = new Browser(a.url);
    await signIn(b, staff.username, staff.password);
    later(301);
    const res = await b.postForm('/auth/sign-in/code', {
      _csrf: csrfIn(await (await b.get('/auth/sign-in')).text()),
      code: codeAt(now),
    });
    expect(res.headers.get('location')).toBe('/auth/sign-in');
    expect((await b.get('/workspace')).status).toBe(303);
  });

  it('is removed by the operator (civitas totp:reset <username>), ending the sessions', async () => {
    const admin = await createStaff(a.app, municipalityId, ['administrator']);
    const { recoveryCodes } = await enrolTotp(a.app, admin.id);
    const b = new Browser(a.url);
    await signIn(b, admin.username, admin.password);
    await code(b, recoveryCodes[0]);
    expect((await b.get('/admin')).status).toBe(200);

    const root = join(__dirname, '..', '..', '..');
    const r = spawnSync(
      process.execPath,
      [
        '-r',
        join(root, 'test/support/swc-register.js'),
        join(root, 'src/cli.ts'),
        'totp:reset',
        admin.username,
      ],
      {
        cwd: root,
        env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test' },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`second factor of ${admin.username} removed`);
    expect((await b.get('/admin')).headers.get('location')).toMatch(/^\/auth\/sign-in/);
    const again = new Browser(a.url);
    expect((await signIn(again, admin.username, admin.password)).headers.get('location')).toBe(
      '/workspace',
    );
    expect((await again.get('/admin')).headers.get('location')).toBe(
      '/auth/two-factor?returnTo=%2Fadmin',
    );
  });
});
