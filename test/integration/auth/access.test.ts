import { Controller, Get, Module, Param } from '@nestjs/common';
import { Public, Roles, SignedIn } from '../../../src/platform/auth/access.decorators';
import { type AuthApp, Browser, signIn, startAuthApp } from './auth-support';
import { createMunicipality } from '../../factories/municipalities';
import { createStaff } from '../../factories/accounts';

@Controller('probe')
class ProbeController {
  @Get('undeclared')
  undeclared() {
    return { reached: true };
  }

  @Get('public')
  @Public()
  open() {
    return { reached: true };
  }

  @Get('signed-in')
  @SignedIn()
  signedIn() {
    return { reached: true };
  }

  @Get('manager')
  @Roles('manager')
  manager() {
    return { reached: true };
  }

  @Get('social-assistance')
  @Roles({ role: 'caseworker', process: 'social-assistance' }, 'manager')
  socialAssistance() {
    return { reached: true };
  }

  @Get('municipalities/:municipalityId/cases')
  @Roles('caseworker')
  cases(@Param('municipalityId') id: string) {
    return { reached: id };
  }
}

/** A whole controller may declare its rule once; methods may override it. */
@Controller('probe-admin')
@Roles('administrator')
class AdminProbeController {
  @Get()
  index() {
    return { reached: true };
  }

  @Get('status')
  @Public()
  status() {
    return { reached: true };
  }
}

@Module({ controllers: [ProbeController, AdminProbeController] })
class ProbeModule {}

const json = { accept: 'application/json' };

describe('access control: deny by default, roles per municipality', () => {
  let a: AuthApp;
  let mA: string;
  let mB: string;
  beforeAll(async () => {
    a = await startAuthApp({}, [ProbeModule]);
    mA = (await createMunicipality(a.ds)).id;
    mB = (await createMunicipality(a.ds)).id;
  });
  afterAll(() => a.close());

  const status = async (b: Browser, path: string): Promise<number> =>
    (await b.get(path, json)).status;

  it('refuses a route that declares no rule, even to an administrator', async () => {
    const admin = await createStaff(a.app, mA, ['administrator', 'manager', 'caseworker']);
    const b = new Browser(a.url);
    await signIn(b, admin.username, admin.password);
    expect(await status(b, '/probe/undeclared')).toBe(403);
    expect(await status(new Browser(a.url), '/probe/undeclared')).toBe(403);
    expect(await status(b, '/probe-admin')).toBe(200);
  });

  it('lets anyone reach public routes and asks anonymous visitors to sign in elsewhere', async () => {
    const anon = new Browser(a.url);
    expect(await status(anon, '/probe/public')).toBe(200);
    expect(await status(anon, '/probe-admin/status')).toBe(200);
    const api = await anon.get('/probe/signed-in', json);
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ error: 'unauthenticated' });
    const page = await anon.get('/probe/manager');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/auth/sign-in?returnTo=%2Fprobe%2Fmanager');
  });

  it('checks roles in the active municipality only', async () => {
    const staff = await createStaff(a.app, mA, ['manager']);
    await a.accounts.grant(staff.id, mB, 'caseworker');
    const b = new Browser(a.url);
    await signIn(b, staff.username, staff.password, { municipalityId: mA });
    expect(await status(b, '/probe/manager')).toBe(200);
    expect(await status(b, '/probe-admin')).toBe(403);
    expect(await status(b, `/probe/municipalities/${mA}/cases`)).toBe(403);

    const { csrfToken } = await (await b.get('/api/auth/session', json)).json();
    const sw = await b.postForm('/auth/municipality', { municipalityId: mB, _csrf: csrfToken });
    expect(sw.status).toBe(303);
    expect(await status(b, '/probe/manager')).toBe(403);
    expect(await status(b, `/probe/municipalities/${mB}/cases`)).toBe(200);
    // A route about another municipality than the active one is refused.
    expect(await status(b, `/probe/municipalities/${mA}/cases`)).toBe(403);
  });

  it('offers a page to switch between the municipalities where the account has roles', async () => {
    const staff = await createStaff(a.app, mA, ['manager']);
    await a.accounts.grant(staff.id, mB, 'caseworker');
    await a.accounts.grant(staff.id, mB, 'deputy');
    const b = new Browser(a.url);
    await signIn(b, staff.username, staff.password, { municipalityId: mA });
    const page = await (await b.get('/auth/municipality?lang=en&returnTo=/workspace')).text();
    expect(page).toContain('Choose a municipality');
    expect(page).toMatch(/Caseworker, Council member/);
    const form = /<form method="post" action="\/auth\/municipality">([\s\S]*?)<\/form>/.exec(
      page,
    )![1];
    const hidden = Object.fromEntries(
      [...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((h) => [h[1], h[2]]),
    );
    expect(hidden.municipalityId).toBe(mB);
    const res = await b.postForm('/auth/municipality', hidden);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/workspace');
    expect((await (await b.get('/api/auth/session', json)).json()).user).toMatchObject({
      municipalityId: mB,
      roles: ['caseworker', 'deputy'],
    });
  });

  it('refuses switching to a municipality where the account has no role', async () => {
    const staff = await createStaff(a.app, mA, ['caseworker']);
    const b = new Browser(a.url);
    await signIn(b, staff.username, staff.password);
    const { csrfToken } = await (await b.get('/api/auth/session', json)).json();
    const res = await b.postForm(
      '/auth/municipality',
      { municipalityId: mB, _csrf: csrfToken },
      json,
    );
    expect(res.status).toBe(403);
    expect((await (await b.get('/api/auth/session', json)).json()).user.municipalityId).toBe(mA);
  });

  it('limits a process-bound caseworker to that process', async () => {
    const sa = await createStaff(a.app, mA, [{ role: 'caseworker', process: 'social-assistance' }]);
    const trees = await createStaff(a.app, mA, [
      { role: 'caseworker', process: 'tree-cutting-permit' },
    ]);
    const any = await createStaff(a.app, mA, ['caseworker']);
    const run = async (u: { username: string; password: string }): Promise<number> => {
      const b = new Browser(a.url);
      await signIn(b, u.username, u.password);
      return status(b, '/probe/social-assistance');
    };
    expect(await run(sa)).toBe(200);
    expect(await run(trees)).toBe(403);
    expect(await run(any)).toBe(200);
  });

  it('lets a citizen reach signed-in routes but not staff ones', async () => {
    const citizenLike = await createStaff(a.app, mA, ['citizen', 'deputy']);
    await a.accounts.revoke(citizenLike.id, mA, 'deputy');
    const b = new Browser(a.url);
    // Citizens cannot use passwords: sign in while still a deputy, then lose the role mid-session.
    await a.accounts.grant(citizenLike.id, mA, 'deputy');
    await signIn(b, citizenLike.username, citizenLike.password);
    await a.accounts.revoke(citizenLike.id, mA, 'deputy');
    expect(await status(b, '/probe/signed-in')).toBe(200);
    expect(await status(b, '/workspace')).toBe(403);
    expect((await (await b.get('/api/auth/session', json)).json()).user.roles).toEqual(['citizen']);
  });
});
