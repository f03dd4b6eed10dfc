import request from 'supertest';
import { ApiClient } from '../../../src/platform/api-clients/api-client.entity';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { createMunicipality } from '../../factories/municipalities';
import { personalCodeFor } from '../../factories/persons';
import { startApp, type RunningApp } from '../../support/app';
import { signInStaff, type Session } from '../../support/session';

jest.setTimeout(120_000);

const asked = personalCodeFor('1985-03-10');

/**
 * The API clients administration page (issue 15): an administrator creates a client (the secret
 * shown once), the status API accepts it, the administrator revokes it and the API refuses it; an
 * administrator of another municipality neither sees nor revokes it; bad input is refused field
 * by field; every change is audited with the administrator; no page where no API is offered.
 */
let h: RunningApp;
let A: string;
let B: string;
let G: string;
let adminA: Session;
let adminB: Session;
let adminG: Session;
let caseworkerA: Session;

const form = (s: Session, path: string, fields: Record<string, string | string[]>) =>
  s.agent
    .post(path)
    .type('form')
    .send({ _csrf: s.csrf, ...fields });
const status = (clientId: string, secret: string) =>
  request(h.app.getHttpServer())
    .get('/api/social-assistance/status')
    .query({ personalCode: asked, status: 'needy', on: '2026-01-15' })
    .set('accept', 'application/json')
    .set('authorization', `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`);
const clientsOf = (municipalityId: string) =>
  h.app
    .get(TenantDb)
    .run(municipalityId, (em) => em.find(ApiClient, { where: { municipalityId } }));
const audits = (municipalityId: string, action: string) =>
  h.app
    .get(TenantDb)
    .run(municipalityId, (em) =>
      em.query<
        { actor_account_id: string; subject_id: string; details: Record<string, unknown> }[]
      >(
        `SELECT actor_account_id, subject_id, details FROM audit_log WHERE action = $1 ORDER BY seq`,
        [action],
      ),
    );

/** Creates a client through the page; returns its id, client id and the secret the page showed. */
async function createThroughPage(name: string, rate = '') {
  const res = await form(adminA, '/admin/api-clients?lang=en', {
    name,
    scopes: 'social-assistance.status',
    rateLimitPerMinute: rate,
  }).expect(200);
  expect(res.headers['cache-control']).toContain('no-store');
  expect(res.text).toContain('it is shown only this once');
  const clientId = /data-testid="client-id">([^<]+)</.exec(res.text)?.[1] ?? '';
  const secret = /data-testid="client-secret">([^<]+)</.exec(res.text)?.[1] ?? '';
  const row = (await clientsOf(A)).find((c) => c.clientId === clientId);
  return { id: row!.id, clientId, secret, row: row! };
}

beforeAll(async () => {
  h = await startApp({ API_CLIENT_RATE_LIMIT_PER_MINUTE: '50' });
  A = (await createMunicipality(h.app)).id;
  B = (await createMunicipality(h.app)).id;
  G = (await createMunicipality(h.app, { country: 'GR' })).id;
  adminA = await signInStaff(h.app, A, ['administrator']);
  adminB = await signInStaff(h.app, B, ['administrator']);
  adminG = await signInStaff(h.app, G, ['administrator']);
  caseworkerA = await signInStaff(h.app, A, ['caseworker']);
});
afterAll(() => h?.close());

describe('API clients administration', () => {
  it('creates a client whose secret the status API accepts, shown once and stored only hashed; audited', async () => {
    const c = await createThroughPage('Property-tax system', '7');
    expect(c.clientId).toMatch(/^ac_[0-9a-f]{24}$/);
    expect(c.secret.length).toBeGreaterThanOrEqual(40);
    expect(c.row).toMatchObject({
      name: 'Property-tax system',
      scopes: ['social-assistance.status'],
      rateLimitPerMinute: 7,
      createdBy: adminA.accountId,
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(c.row.secretHash).not.toContain(c.secret);

    const answer = await status(c.clientId, c.secret).expect(200);
    expect(answer.body).toMatchObject({ holds: false, status: 'needy' });
    // The list shows it, when it was last used, and never the secret again.
    const list = await adminA.agent.get('/admin/api-clients?lang=en').expect(200);
    expect(list.text).toContain('Property-tax system');
    expect(list.text).toContain(c.clientId);
    expect(list.text).not.toContain(c.secret);
    const [used] = (await clientsOf(A)).filter((x) => x.id === c.id);
    expect(used.lastUsedAt).not.toBeNull();
    expect(list.text).not.toMatch(
      new RegExp(`data-testid="api-client-${c.clientId}"[\\s\\S]*?>never<`),
    );

    // Its own limit, not the default of 50: the 8th call within the minute is refused.
    for (let i = 0; i < 6; i++) await status(c.clientId, c.secret).expect(200);
    await status(c.clientId, c.secret).expect(429);

    expect(await audits(A, 'admin.api_client_created')).toEqual([
      expect.objectContaining({
        actor_account_id: adminA.accountId,
        subject_id: c.id,
        details: expect.objectContaining({
          clientId: c.clientId,
          name: 'Property-tax system',
          scopes: ['social-assistance.status'],
          rateLimitPerMinute: 7,
        }) as unknown,
      }),
    ]);
    expect(JSON.stringify(await audits(A, 'admin.api_client_created'))).not.toContain(c.secret);
  });

  it('revokes a client after a confirmation page: the status API answers 401 from then on; audited', async () => {
    const c = await createThroughPage('Revoked system');
    await status(c.clientId, c.secret).expect(200);
    const confirm = await adminA.agent.get(`/admin/api-clients/${c.id}/revoke?lang=en`).expect(200);
    expect(confirm.text).toContain('Revoke Revoked system?');
    expect(confirm.text).toContain(`action="/admin/api-clients/${c.id}/revoke"`);

    const done = await form(adminA, `/admin/api-clients/${c.id}/revoke`, {}).expect(303);
    expect(done.headers.location).toBe('/admin/api-clients?done=apiClientRevoked');
    await status(c.clientId, c.secret).expect(401);
    const [row] = (await clientsOf(A)).filter((x) => x.id === c.id);
    expect(row.revokedAt).not.toBeNull();
    expect(row.revokedBy).toBe(adminA.accountId);
    expect(
      (await audits(A, 'admin.api_client_revoked')).map((a) => [a.actor_account_id, a.subject_id]),
    ).toEqual([[adminA.accountId, c.id]]);

    // Revoked once: a second revocation is refused and changes nothing.
    await form(adminA, `/admin/api-clients/${c.id}/revoke`, {}).expect(409);
    expect(await audits(A, 'admin.api_client_revoked')).toHaveLength(1);
    const list = await adminA.agent.get('/admin/api-clients?lang=en&done=apiClientRevoked');
    expect(list.text).toContain('The API client has been revoked');
  });

  it("another municipality's administrator neither sees nor revokes the client (404)", async () => {
    const c = await createThroughPage('Only for A');
    const listB = await adminB.agent.get('/admin/api-clients?lang=en').expect(200);
    expect(listB.text).not.toContain('Only for A');
    expect(listB.text).not.toContain(c.clientId);
    await adminB.agent.get(`/admin/api-clients/${c.id}/revoke`).expect(404);
    await form(adminB, `/admin/api-clients/${c.id}/revoke`, {}).expect(404);
    await status(c.clientId, c.secret).expect(200);
    expect((await clientsOf(A)).find((x) => x.id === c.id)?.revokedAt).toBeNull();
    expect(await audits(B, 'admin.api_client_revoked')).toEqual([]);
    // Nor does anyone but an administrator.
    await caseworkerA.agent.get('/admin/api-clients').expect(403);
    await form(caseworkerA, `/admin/api-clients/${c.id}/revoke`, {}).expect(403);
  });

  it('refuses bad input field by field in the administrator’s language, creating nothing', async () => {
    const before = (await clientsOf(A)).length;
    const bad = await form(adminA, '/admin/api-clients?lang=lv', {
      name: '  ',
      scopes: 'payments.everything',
      rateLimitPerMinute: '0',
    }).expect(422);
    expect(bad.text).toContain('id="name-error"');
    expect(bad.text).toContain('Ievadiet nosaukumu, ne garāku par 200 rakstzīmēm.');
    expect(bad.text).toContain('id="scopes-error"');
    expect(bad.text).toContain('Izvēlieties vismaz vienu saskarni');
    expect(bad.text).toContain('id="rateLimitPerMinute-error"');
    expect(bad.text).toContain('Ievadiet veselu skaitli no 1 līdz 10000');
    expect(bad.text).toContain('govuk-error-summary');

    const noScope = await form(adminA, '/admin/api-clients?lang=en', {
      name: 'No scope',
      rateLimitPerMinute: 'many',
    }).expect(422);
    expect(noScope.text).toContain('Choose at least one API it may call.');
    expect(noScope.text).toContain('Enter a whole number from 1 to 10000, or leave it empty.');
    expect(noScope.text).not.toContain('id="name-error"');
    expect(noScope.text).toContain('value="No scope"');
    expect(await clientsOf(A)).toHaveLength(before);
    expect(await audits(A, 'admin.api_client_created')).toHaveLength(before);

    await adminA.agent.get('/admin/api-clients/not-a-uuid/revoke').expect(404);
  });

  it('has no page and no menu entry where no machine API is offered (Greece); the menu leads to it in Latvia', async () => {
    await adminG.agent.get('/admin/api-clients').expect(404);
    await form(adminG, '/admin/api-clients', {
      name: 'x',
      scopes: 'social-assistance.status',
    }).expect(404);
    expect((await adminG.agent.get('/admin?lang=en').expect(200)).text).not.toContain(
      'href="/admin/api-clients"',
    );
    const lv = await adminA.agent.get('/admin?lang=en').expect(200);
    expect(lv.text).toContain('href="/admin/api-clients"');
    // The staff menu offers it to the administrator in Latvia only.
    const menu = (html: string) =>
      /<nav class="moj-sub-navigation civitas-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
    expect(menu(lv.text)).toContain('href="/admin/api-clients"');
    expect(menu((await adminG.agent.get('/admin').expect(200)).text)).not.toContain('api-clients');
    expect(menu((await caseworkerA.agent.get('/workspace').expect(200)).text)).not.toContain(
      'api-clients',
    );
  });
});
