import { SignInAttempt } from '../../../src/platform/auth/sign-in-attempt.entity';
import { type AuthApp, Browser, createMunicipality, createStaff, signIn, startAuthApp } from './auth-support';

describe('sign-in rate limit (3 failures per IP + username)', () => {
  let a: AuthApp;
  let municipalityId: string;
  beforeAll(async () => {
    a = await startAuthApp({ SIGN_IN_RATE_LIMIT: '3', SIGN_IN_RATE_WINDOW_MINUTES: '5' });
    municipalityId = (await createMunicipality(a.ds)).id;
  });
  afterAll(() => a.close());

  it('answers 429 after three failures, even to the right password, and logs it', async () => {
    const staff = await createStaff(a, municipalityId, ['caseworker']);
    const b = new Browser(a.url);
    for (let i = 0; i < 3; i++) expect((await signIn(b, staff.username, `wrong ${i}`)).status).toBe(401);
    const blocked = await signIn(b, staff.username, staff.password);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('ratelimit-policy')).toContain('q=3; w=300');
    expect(await blocked.text()).toContain('Pārāk daudz neveiksmīgu mēģinājumu');
    expect((await b.get('/workspace')).status).toBe(303);

    const attempts = await a.ds.getRepository(SignInAttempt).find({ where: { identifier: staff.username }, order: { at: 'ASC' } });
    expect(attempts.map((x) => x.outcome)).toEqual(['failure', 'failure', 'failure', 'rate_limited']);
    expect(attempts[3]).toMatchObject({ reason: 'too_many_attempts', ip: expect.stringMatching(/127\.0\.0\.1/) });
  });

  it('counts per username: another account from the same address can still sign in', async () => {
    const victim = await createStaff(a, municipalityId, ['caseworker']);
    const other = await createStaff(a, municipalityId, ['caseworker']);
    const b = new Browser(a.url);
    for (let i = 0; i < 4; i++) await signIn(b, victim.username, 'wrong');
    expect((await signIn(new Browser(a.url), other.username, other.password)).status).toBe(303);
  });

  it('does not count successful sign-ins', async () => {
    const staff = await createStaff(a, municipalityId, ['caseworker']);
    for (let i = 0; i < 5; i++) expect((await signIn(new Browser(a.url), staff.username, staff.password)).status).toBe(303);
  });

  it('limits failed OIDC callbacks per address too, and logs it', async () => {
    const b = new Browser(a.url);
    for (let i = 0; i < 3; i++) expect((await b.get(`/auth/oidc/callback?code=x${i}&state=y`)).status).toBe(401);
    const blocked = await b.get('/auth/oidc/callback?code=x&state=y');
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain('Pārāk daudz neveiksmīgu mēģinājumu');
    const last = await a.ds.getRepository(SignInAttempt).find({ where: { method: 'oidc' }, order: { at: 'DESC' }, take: 4 });
    expect(last.map((x) => x.outcome)).toEqual(['rate_limited', 'failure', 'failure', 'failure']);
  });
});
