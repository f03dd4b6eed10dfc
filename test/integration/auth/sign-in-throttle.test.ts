import { randomInt } from 'node:crypto';
import { PasswordHasher } from '../../../src/platform/accounts/password-hasher';
import { Clock } from '../../../src/platform/auth/clock';
import { SignInThrottle } from '../../../src/platform/auth/sign-in-throttle.service';
import { SignInAttempt } from '../../../src/platform/auth/sign-in-attempt.entity';
import { type AuthApp, Browser, startAuthApp } from './auth-support';
import { createMunicipality } from '../../factories/municipalities';
import { createStaff, uniqueName } from '../../factories/accounts';

const LIMITS = {
  SIGN_IN_RATE_LIMIT: '3',
  SIGN_IN_IP_LIMIT: '20',
  SIGN_IN_RATE_WINDOW_MINUTES: '15',
  SIGN_IN_MAX_DELAY_SECONDS: '600',
};
/** Every app of the run is 127.0.0.1 and the counters are shared: each test comes from addresses of its own. */
const address = (): string => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/** One password attempt from `ip` (the app trusts X-Forwarded-For from loopback, as behind a proxy). */
async function attempt(
  a: AuthApp,
  ip: string,
  username: string,
  password: string,
  b = new Browser(a.url),
): Promise<Response> {
  const token = /name="_csrf" value="([^"]+)"/.exec(
    await (await b.get('/auth/sign-in', { 'x-forwarded-for': ip })).text(),
  )![1];
  return b.postForm(
    '/auth/sign-in',
    { _csrf: token, username, password },
    { 'x-forwarded-for': ip },
  );
}

describe('sign-in limits in PostgreSQL (issue 12 M5)', () => {
  let a: AuthApp;
  let b: AuthApp;
  let municipalityId: string;
  let now: Date;
  let verify: jest.SpyInstance;

  beforeAll(async () => {
    [a, b] = await Promise.all([startAuthApp(LIMITS), startAuthApp(LIMITS)]);
    municipalityId = (await createMunicipality(a.ds)).id;
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });
  beforeEach(() => {
    now = new Date();
    for (const app of [a, b]) jest.spyOn(app.app.get(Clock), 'now').mockImplementation(() => now);
    verify = jest.spyOn(a.app.get(PasswordHasher), 'verify');
  });
  afterEach(() => jest.restoreAllMocks());

  it('stops spraying 50 usernames from one address at the bound, without hashing, with a bounded log', async () => {
    const ip = address();
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++)
      statuses.push((await attempt(a, ip, uniqueName('spray'), 'Summer2026!')).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(30).fill(429));
    expect(verify).toHaveBeenCalledTimes(20);

    const last = await attempt(a, ip, uniqueName('spray'), 'x');
    expect(last.headers.get('retry-after')).toBe('900');
    expect(await last.text()).toContain(
      'Pārāk daudz neveiksmīgu mēģinājumu. Varat mēģināt vēlreiz pēc 15 minūtēm.',
    );

    // 20 failures and one refusal logged, however long the flood; one counter row for the address.
    const logged = await a.ds.getRepository(SignInAttempt).find({ where: { ip } });
    expect(logged.filter((r) => r.outcome === 'failure')).toHaveLength(20);
    expect(logged.filter((r) => r.outcome === 'rate_limited')).toHaveLength(1);
    expect(
      await a.ds.query(`SELECT failures, refused FROM sign_in_throttle WHERE bucket = $1`, [
        `ip:${ip}`,
      ]),
    ).toEqual([{ failures: 20, refused: 31 }]);

    // The same staff member from another address is not held back by this one.
    const staff = await createStaff(a.app, municipalityId, ['caseworker']);
    expect((await attempt(a, address(), staff.username, staff.password)).status).toBe(303);
  });

  it('delays an account attacked from many addresses; the real user passes after the delay', async () => {
    const staff = await createStaff(a.app, municipalityId, ['caseworker']);
    const home = address();
    for (let i = 0; i < 3; i++)
      expect((await attempt(a, address(), staff.username, `guess ${i}`)).status).toBe(401);
    verify.mockClear();

    const held = await attempt(a, home, staff.username, staff.password);
    expect(held.status).toBe(429);
    expect(held.headers.get('retry-after')).toBe('30');
    expect(await held.text()).toContain('Varat mēģināt vēlreiz pēc 30 sekundēm.');
    expect(verify).not.toHaveBeenCalled();

    now = new Date(now.getTime() + 31_000);
    expect((await attempt(a, home, staff.username, staff.password)).status).toBe(303);
    // A right password clears the account's count.
    expect((await attempt(a, address(), staff.username, 'wrong again')).status).toBe(401);
    expect((await attempt(a, home, staff.username, staff.password)).status).toBe(303);
  });

  it('doubles the delay with each further failure, up to the cap; never a permanent block', async () => {
    const staff = await createStaff(a.app, municipalityId, ['caseworker']);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const r = await attempt(a, address(), staff.username, 'wrong');
      expect(r.status).toBe(401);
      const probe = await attempt(a, address(), staff.username, 'wrong');
      waits.push(probe.status === 429 ? Number(probe.headers.get('retry-after')) : 0);
      now = new Date(now.getTime() + waits.at(-1)! * 1000 + 1000);
    }
    // The first round's probe is the second failure itself; the third starts the delay.
    expect(waits).toEqual([0, 30, 60, 120, 240, 480, 600, 600, 600]);
    expect((await attempt(a, address(), staff.username, staff.password)).status).toBe(303);
  });

  it('is shared by two app instances on one database', async () => {
    const staff = await createStaff(a.app, municipalityId, ['caseworker']);
    for (let i = 0; i < 3; i++)
      expect((await attempt(i % 2 ? a : b, address(), staff.username, 'wrong')).status).toBe(401);
    const bVerify = jest.spyOn(b.app.get(PasswordHasher), 'verify');
    expect((await attempt(b, address(), staff.username, staff.password)).status).toBe(429);
    expect(bVerify).not.toHaveBeenCalled();

    const ip = address();
    for (let i = 0; i < 20; i++) await attempt(i % 2 ? a : b, ip, uniqueName('spray'), 'x');
    expect((await attempt(a, ip, uniqueName('spray'), 'x')).status).toBe(429);
    expect((await attempt(b, ip, uniqueName('spray'), 'x')).status).toBe(429);
  });

  it('does not shut staff out behind a flooded address (NAT): a browser they signed in from before is still heard', async () => {
    const ip = address();
    const regular = await createStaff(a.app, municipalityId, ['caseworker']);
    const newcomer = await createStaff(a.app, municipalityId, ['caseworker']);
    const desk = new Browser(a.url);
    expect((await attempt(a, ip, regular.username, regular.password, desk)).status).toBe(303);
    expect(desk.cookies.get('civitas_device')).toBeTruthy();

    for (let i = 0; i < 20; i++) await attempt(a, ip, uniqueName('spray'), 'x');
    expect((await attempt(a, ip, newcomer.username, newcomer.password)).status).toBe(429);
    expect((await attempt(a, ip, regular.username, regular.password, desk)).status).toBe(303);
    // The cookie names the account: it does not open the address limit for other names.
    expect((await attempt(a, ip, newcomer.username, newcomer.password, desk)).status).toBe(429);
    const copied = new Browser(a.url);
    copied.cookies.set(
      'civitas_device',
      `${desk.cookies.get('civitas_device')!.split('.')[0]}.forged`,
    );
    expect((await attempt(a, ip, regular.username, regular.password, copied)).status).toBe(429);
  });

  it('limits failed eID callbacks per address too', async () => {
    const ip = address();
    const browser = new Browser(a.url);
    for (let i = 0; i < 20; i++)
      expect(
        (await browser.get(`/auth/oidc/callback?code=x${i}&state=y`, { 'x-forwarded-for': ip }))
          .status,
      ).toBe(401);
    const held = await browser.get('/auth/oidc/callback?code=x&state=y', {
      'x-forwarded-for': ip,
      'accept-language': 'en',
    });
    expect(held.status).toBe(429);
    expect(await held.text()).toContain(
      'Too many unsuccessful attempts. You can try again in 15 minutes.',
    );
  });

  it('prunes counters whose window has passed', async () => {
    const ip = address();
    await attempt(a, ip, uniqueName('old'), 'x');
    expect(
      await a.ds.query(`SELECT 1 FROM sign_in_throttle WHERE bucket = $1`, [`ip:${ip}`]),
    ).toHaveLength(1);
    now = new Date(now.getTime() + 16 * 60_000);
    await a.app.get(SignInThrottle).prune();
    expect(
      await a.ds.query(`SELECT 1 FROM sign_in_throttle WHERE bucket = $1`, [`ip:${ip}`]),
    ).toHaveLength(0);
  });
});
