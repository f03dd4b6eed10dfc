import { randomUUID } from 'node:crypto';
import { Person } from '../../../src/persons/person.entity';
import { AuditService } from '../../../src/platform/audit/audit.service';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import type { Municipality } from '../../../src/platform/tenancy/municipality.entity';
import { signInCitizen, startAuthApp } from '../../support/session';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(30_000);

const CODE = '150385-12346'; // a demo eID identity (Jānis Bērziņš)

describe('GET /api/me/consultations', () => {
  let a: Awaited<ReturnType<typeof startAuthApp>>;
  let m: Municipality;
  beforeAll(async () => {
    a = await startAuthApp();
    m = await createMunicipality(a.ds);
  });
  afterAll(() => a.close());

  it('returns dates and purposes of reads of the signed-in resident only, without staff names', async () => {
    const me = await a.app.get(TenantDb).run(m.id, (em) =>
      em.save(Person, {
        municipalityId: m.id,
        personalCode: CODE,
        givenName: 'Jānis',
        familyName: 'Bērziņš',
      }),
    );
    const audit = a.app.get(AuditService);
    const staff = { accountId: randomUUID(), display: 'Staff Member Name', role: 'caseworker' };
    await audit.recordRead({
      municipalityId: m.id,
      actor: staff,
      personId: me.id,
      subject: { type: 'person', id: me.id },
      purpose: 'housing benefit check',
    });
    await audit.recordRead({
      municipalityId: m.id,
      actor: staff,
      personId: randomUUID(),
      subject: { type: 'person', id: 'x' },
      purpose: 'someone else',
    });

    const b = await signInCitizen(a.url, m.id, CODE);
    const res = await b.get('/api/me/consultations', {
      accept: 'application/json',
      'x-request-id': 'consult-1',
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as { personId: string; consultations: unknown[] };
    expect(body.personId).toBe(me.id);
    expect(body.consultations).toEqual([
      { at: expect.any(String), action: 'person.read', purpose: 'housing benefit check' },
    ]);
    expect(text).not.toContain('Staff Member Name');

    // Looking at one's own report is itself audited, with the request id.
    const self = (await a.app
      .get(TenantDb)
      .run(m.id, (em) =>
        em.query(
          `SELECT request_id FROM audit_log WHERE action = 'consultations.read' ORDER BY seq DESC LIMIT 1`,
        ),
      )) as { request_id: string }[];
    expect(self[0].request_id).toBe('consult-1');
  });

  it('answers 401 when nobody is signed in', async () => {
    const res = await fetch(`${a.url}/api/me/consultations`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(401);
  });
});
