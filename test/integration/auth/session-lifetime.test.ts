import { AuthService } from '../../../src/platform/auth/auth.service';
import { HttpSession } from '../../../src/platform/auth/http-session.entity';
import { SignInAttempt } from '../../../src/platform/auth/sign-in-attempt.entity';
import {
  type AuthApp,
  Browser,
  type MovableClock,
  movableClock,
  signIn,
  startAuthApp,
} from './auth-support';
import { createMunicipality } from '../../factories/municipalities';
import { createStaff } from '../../factories/accounts';

const MINUTE = 60_000;

/**
 * The status of a page, once its whole response has arrived: the session store records the visit
 * (the rolling expiry) before the response ends, so the next visit sees it.
 */
async function visit(b: Browser, path: string): Promise<number> {
  const res = await b.get(path);
  await res.arrayBuffer();
  return res.status;
}

jest.setTimeout(20_000);

describe('session lifetime', () => {
  describe('idle (30 min, rolling) and absolute (2 h) timeouts, on the application clock', () => {
    let a: AuthApp;
    let municipalityId: string;
    let clock: MovableClock;
    beforeAll(async () => {
      a = await startAuthApp({ SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '2' });
      municipalityId = (await createMunicipality(a.ds)).id;
      clock = movableClock(a);
    });
    afterAll(() => a.close());

    it('keeps a session alive while it is used', async () => {
      const staff = await createStaff(a.app, municipalityId, ['caseworker']);
      const b = new Browser(a.url);
      expect((await signIn(b, staff.username, staff.password)).status).toBe(303);
      for (let i = 0; i < 4; i++) {
        clock.advance(25 * MINUTE);
        expect(await visit(b, '/workspace')).toBe(200);
      }
    });

    it('ends a session left idle and says so on the sign-in page', async () => {
      const staff = await createStaff(a.app, municipalityId, ['caseworker']);
      const b = new Browser(a.url);
      await signIn(b, staff.username, staff.password);
      expect(await visit(b, '/workspace')).toBe(200);
      const row = await a.ds.getRepository(HttpSession).findOneByOrFail({ accountId: staff.id });
      // The store keeps expiry in whole seconds, rounded up.
      const left = row.expire.getTime() - clock.now();
      expect(left).toBeGreaterThan(30 * MINUTE - 1_000);
      expect(left).toBeLessThanOrEqual(30 * MINUTE + 1_000);

      clock.advance(29 * MINUTE);
      expect(await visit(b, '/workspace')).toBe(200);
      clock.advance(31 * MINUTE);
      const res = await b.get('/workspace');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/auth/sign-in?returnTo=%2Fworkspace&expired=1');
      const page = await (await b.follow(res)).res.text();
      expect(page.match(/Jūsu sesija ir beigusies/g)).toHaveLength(1);
    });

    it('tells a returning user on any page that the session expired, once', async () => {
      const staff = await createStaff(a.app, municipalityId, ['caseworker']);
      const b = new Browser(a.url);
      expect((await signIn(b, staff.username, staff.password)).status).toBe(303);
      clock.advance(31 * MINUTE);
      const home = await (await b.get('/?lang=en')).text();
      expect(home).toContain('Your session has expired. Please sign in again.');
      expect(await (await b.get('/?lang=en')).text()).not.toContain('Your session has expired');
    });

    it('ends the session once the absolute lifetime has passed, despite activity', async () => {
      const staff = await createStaff(a.app, municipalityId, ['manager']);
      const b = new Browser(a.url);
      await signIn(b, staff.username, staff.password);
      for (let i = 0; i < 4; i++) {
        clock.advance(29 * MINUTE);
        expect(await visit(b, '/workspace')).toBe(200);
      }
      clock.advance(5 * MINUTE);
      const res = await b.get('/workspace');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toContain('expired=1');
      expect(await a.ds.getRepository(HttpSession).countBy({ accountId: staff.id })).toBe(0);
    });
  });

  describe('disabling an account', () => {
    let a: AuthApp;
    let municipalityId: string;
    beforeAll(async () => {
      a = await startAuthApp();
      municipalityId = (await createMunicipality(a.ds)).id;
    });
    afterAll(() => a.close());

    it('ends every session of that account at once, and no other', async () => {
      const staff = await createStaff(a.app, municipalityId, ['caseworker']);
      const other = await createStaff(a.app, municipalityId, ['caseworker']);
      const laptop = new Browser(a.url);
      const phone = new Browser(a.url);
      const colleague = new Browser(a.url);
      await signIn(laptop, staff.username, staff.password);
      await signIn(phone, staff.username, staff.password);
      await signIn(colleague, other.username, other.password);
      expect(await a.ds.getRepository(HttpSession).countBy({ accountId: staff.id })).toBe(2);

      const ended = await a.app.get(AuthService).disableAccount(staff.id, other.id);
      expect(ended).toBe(2);
      expect(await a.ds.getRepository(HttpSession).countBy({ accountId: staff.id })).toBe(0);
      expect((await laptop.get('/workspace')).status).toBe(303);
      expect((await phone.get('/workspace')).status).toBe(303);
      expect((await colleague.get('/workspace')).status).toBe(200);

      const again = await signIn(new Browser(a.url), staff.username, staff.password);
      expect(again.status).toBe(401);
      const last = await a.ds
        .getRepository(SignInAttempt)
        .find({ where: { accountId: staff.id }, order: { at: 'DESC' }, take: 1 });
      expect(last[0]).toMatchObject({ outcome: 'failure', reason: 'disabled' });
    });
  });
});

describe('administrators disabling accounts over the API', () => {
  let a: AuthApp;
  let mA: string;
  let mB: string;
  beforeAll(async () => {
    a = await startAuthApp();
    mA = (await createMunicipality(a.ds)).id;
    mB = (await createMunicipality(a.ds)).id;
  });
  afterAll(() => a.close());

  const post = async (b: Browser, path: string): Promise<Response> => {
    const { csrfToken } = await (
      await b.get('/api/auth/session', { accept: 'application/json' })
    ).json();
    return b.request(path, {
      method: 'POST',
      headers: { accept: 'application/json', 'x-csrf-token': csrfToken },
    });
  };

  it('an administrator disables a caseworker of their municipality, ending the sessions; enabling lets them back', async () => {
    const admin = await createStaff(a.app, mA, ['administrator']);
    const worker = await createStaff(a.app, mA, ['caseworker']);
    const adminB = new Browser(a.url);
    const workerB = new Browser(a.url);
    await signIn(adminB, admin.username, admin.password);
    await signIn(workerB, worker.username, worker.password);

    const res = await post(adminB, `/api/admin/accounts/${worker.id}/disable`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ disabled: true, sessionsEnded: 1 });
    expect((await workerB.get('/workspace')).status).toBe(303);

    expect((await post(adminB, `/api/admin/accounts/${worker.id}/enable`)).status).toBe(200);
    expect((await signIn(new Browser(a.url), worker.username, worker.password)).status).toBe(303);
  });

  it('cannot touch accounts of another municipality, and non-administrators cannot at all', async () => {
    const foreignAdmin = await createStaff(a.app, mB, ['administrator']);
    const manager = await createStaff(a.app, mA, ['manager']);
    const worker = await createStaff(a.app, mA, ['caseworker']);
    const otherAdmin = new Browser(a.url);
    await signIn(otherAdmin, foreignAdmin.username, foreignAdmin.password);
    const foreign = await post(otherAdmin, `/api/admin/accounts/${worker.id}/disable`);
    expect(foreign.status).toBe(404);
    const mgr = new Browser(a.url);
    await signIn(mgr, manager.username, manager.password);
    expect((await post(mgr, `/api/admin/accounts/${worker.id}/disable`)).status).toBe(403);
    expect((await signIn(new Browser(a.url), worker.username, worker.password)).status).toBe(303);
  });
});
