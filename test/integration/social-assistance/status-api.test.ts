import request from 'supertest';
import { ApiClient } from '../../../src/platform/api-clients/api-client.entity';
import { ApiClientsService } from '../../../src/platform/api-clients/api-clients.service';
import type { CalculationInput } from '../../../src/modules/social-assistance/calculation/types';
import { SocialAssistanceAward } from '../../../src/modules/social-assistance/awards/award.entity';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { DataSource } from 'typeorm';
import { createAward } from '../../factories/awards';
import { createMunicipality } from '../../factories/municipalities';
import { personalCodeFor } from '../../factories/persons';
import { startApp, type RunningApp } from '../../support/app';

jest.setTimeout(120_000);

/**
 * The status API for other municipal systems (issue 15 item 8) over HTTP on the real application:
 * client credentials, scope, tenancy, field errors, the rate limit, and an audit entry naming the
 * person asked about on every call.
 */
let h: RunningApp;
let A: string;
let B: string;
let G: string;
let holder: string;
let member: string;
const creds: Record<string, string> = {};

const input: CalculationInput = {
  asOf: '2026-01-10',
  members: [
    { id: 'a', birthDate: '1985-03-10', roles: [] },
    { id: 'b', birthDate: '2016-06-01', roles: ['child'] },
  ],
  incomes: [],
  assets: { savingsCents: 0, cars: 0, otherRealEstate: 0 },
  housingCosts: [],
};

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const ask = (auth: string | null, q: Record<string, string>, lang = 'en') => {
  const r = request(h.app.getHttpServer())
    .get('/api/social-assistance/status')
    .query({ ...q, lang })
    .set('accept', 'application/json');
  return auth ? r.set('authorization', auth) : r;
};
async function client(municipalityId: string, name: string): Promise<string> {
  const { client: c, secret } = await h.app.get(ApiClientsService).create({
    municipalityId,
    name,
    scopes: ['social-assistance.status'],
    createdBy: 'test-admin',
  });
  return basic(c.clientId, secret);
}
const audits = (municipalityId: string) =>
  h.app.get(TenantDb).run(municipalityId, (em) =>
    em.query<
      {
        person_id: string | null;
        actor_display: string;
        details: Record<string, unknown>;
        personal_code: string | null;
      }[]
    >(
      `SELECT a.person_id, a.actor_display, a.details, p.personal_code
         FROM audit_log a LEFT JOIN persons p ON p.id = a.person_id
        WHERE a.action = 'social_assistance_status.queried' ORDER BY a.seq`,
    ),
  );

beforeAll(async () => {
  h = await startApp({ API_CLIENT_RATE_LIMIT_PER_MINUTE: '30' });
  A = (await createMunicipality(h.app)).id;
  B = (await createMunicipality(h.app)).id;
  G = (await createMunicipality(h.app, { country: 'GR' })).id;
  holder = personalCodeFor('1985-03-10');
  member = personalCodeFor('2016-06-01');
  const { award } = await createAward(h.app, A, {
    holderCode: holder,
    householdCodes: [holder, member],
    status: 'needy',
    validFrom: '2026-01-01',
    validUntil: '2026-06-30',
    input,
  });
  // Stopped from 1 May: the status holds until 30 April.
  await h.app
    .get(TenantDb)
    .run(A, (em) =>
      em.update(SocialAssistanceAward, award.id, { state: 'stopped', stoppedOn: '2026-05-01' }),
    );
  creds.A = await client(A, 'Property-tax system A');
  creds.B = await client(B, 'Property-tax system B');
  creds.G = await client(G, 'Greek system');
});
afterAll(() => h?.close());

describe('GET /api/social-assistance/status', () => {
  it('answers whether a household member holds the status on a date, and nothing else', async () => {
    const res = await ask(creds.A, {
      personalCode: member,
      status: 'needy',
      on: '2026-02-15',
    }).expect(200);
    expect(res.body).toEqual({
      holds: true,
      status: 'needy',
      validFrom: '2026-01-01',
      validUntil: '2026-04-30',
    });
    // Compact form of the code too; other status, after the stop, before the period: does not hold.
    await ask(creds.A, { personalCode: holder.replace('-', ''), status: 'needy', on: '2026-04-30' })
      .expect(200)
      .expect((r) => expect(r.body.holds).toBe(true));
    for (const q of [
      { status: 'low-income', on: '2026-02-15' },
      { status: 'needy', on: '2026-05-01' },
      { status: 'needy', on: '2025-12-31' },
    ])
      expect((await ask(creds.A, { personalCode: holder, ...q }).expect(200)).body).toEqual({
        holds: false,
        status: q.status,
        validFrom: null,
        validUntil: null,
      });
  });

  it('audits every call with the person asked about and the client', async () => {
    const before = (await audits(A)).length;
    await ask(creds.A, { personalCode: member, status: 'needy', on: '2026-03-01' }).expect(200);
    const rows = await audits(A);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({
      personal_code: member,
      actor_display: expect.stringContaining('Property-tax system A'),
      details: { status: 'needy', on: '2026-03-01', holds: true },
    });
  });

  it('refuses without valid client credentials (401), without the scope (403)', async () => {
    const q = { personalCode: holder, status: 'needy', on: '2026-02-15' };
    await ask(null, q).expect(401);
    await ask('Basic ' + Buffer.from('ac_nope:wrong').toString('base64'), q).expect(401);
    const [id] = Buffer.from(creds.A.slice(6), 'base64').toString().split(':');
    await ask(basic(id, 'not-the-secret'), q).expect(401);
    const { client: noScope, secret } = await h.app.get(ApiClientsService).create({
      municipalityId: A,
      name: 'Another system',
      scopes: ['social-assistance.status'],
      createdBy: 'test-admin',
    });
    await h.app.get(DataSource).getRepository(ApiClient).update(noScope.id, { scopes: [] });
    const r = await ask(basic(noScope.clientId, secret), q).expect(403);
    expect(JSON.stringify(r.body)).not.toContain(holder);
    // A revoked client is refused like an unknown one.
    await h.app.get(ApiClientsService).revoke(A, noScope.id, new Date());
    await ask(basic(noScope.clientId, secret), q).expect(401);
  });

  it('sees only its own municipality; 404 where social assistance is not offered', async () => {
    const res = await ask(creds.B, {
      personalCode: holder,
      status: 'needy',
      on: '2026-02-15',
    }).expect(200);
    expect(res.body.holds).toBe(false);
    await ask(creds.G, { personalCode: holder, status: 'needy', on: '2026-02-15' }).expect(404);
  });

  it('gives field errors in the caller’s language (422)', async () => {
    const res = await ask(
      creds.A,
      { personalCode: '123', status: 'rich', on: '2026-02-30' },
      'lv',
    ).expect(422);
    const fields = JSON.stringify(res.body);
    for (const f of ['personalCode', 'status', 'on']) expect(fields).toContain(f);
    expect(fields).toContain('Izvēlieties: trūcīga vai maznodrošināta.');
  });

  it('limits calls per client per minute (429)', async () => {
    const c = await client(A, 'Busy system');
    const q = { personalCode: holder, status: 'needy', on: '2026-02-15' };
    for (let i = 0; i < 30; i++) await ask(c, q).expect(200);
    const r = await ask(c, q).expect(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
  });
});
