import { signInStaff } from '../../support/session';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Simulators } from '../../../src/integrations/sim/simulators';
import {
  PERSON_DATA_AUDIT,
  type PersonDataAudit,
  type PersonDataRead,
} from '../../../src/persons/person-data-audit';
import type { Viewer } from '../../../src/persons/viewer';
import { createTestApp, ownerQuery, seedStandardPopulation, tenantQuery } from './support';
import { type GrantSpec } from '../../factories/accounts';
import { createMunicipality } from '../../factories/municipalities';

interface SimPersonRow {
  personal_code: string;
  given_name: string;
  family_name: string;
}

describe('persons API', () => {
  let app: INestApplication;
  let reads: PersonDataRead[];
  let tukums: string;
  let ogre: string;
  let territory: string;
  let residence: Viewer;
  let manager: Viewer;
  const http = () => request(app.getHttpServer());

  /** A register person with address history and family, not yet known to any municipality. */
  async function registerPerson(offset: number): Promise<SimPersonRow> {
    const rows = await ownerQuery<SimPersonRow>(
      `SELECT p.personal_code, p.given_name, p.family_name FROM sim_persons p
        WHERE EXISTS (SELECT 1 FROM sim_residences r WHERE r.personal_code = p.personal_code AND r.status = 'ended')
          AND EXISTS (SELECT 1 FROM sim_residences r JOIN sim_addresses a ON a.code = r.address_code
                       WHERE r.personal_code = p.personal_code AND r.status = 'active' AND a.municipality = $2)
          AND EXISTS (SELECT 1 FROM sim_family_links l WHERE l.personal_code = p.personal_code)
        ORDER BY p.personal_code LIMIT 1 OFFSET $1`,
      [offset, territory],
    );
    return rows[0];
  }
  const municipalCount = async (municipalityId: string, code: string): Promise<number> =>
    (
      await tenantQuery<{ n: number }>(
        municipalityId,
        `SELECT count(*)::int AS n FROM persons WHERE personal_code = $1`,
        [code],
      )
    )[0].n;

  const sessions = new Map<string, { headers: Record<string, string>; accountId: string }>();
  const sessionKey = (v: Viewer): string => `${v.municipalityId}|${v.roles.join(',')}`;
  const asUser = (v: Viewer): Record<string, string> => {
    const h = sessions.get(sessionKey(v));
    if (!h) throw new Error(`no session prepared for ${sessionKey(v)}`);
    return h.headers;
  };
  const accountOf = (v: Viewer): string => sessions.get(sessionKey(v))!.accountId;

  beforeAll(async () => {
    await seedStandardPopulation();
    app = await createTestApp();
    const audit = app.get<PersonDataAudit>(PERSON_DATA_AUDIT);
    jest.spyOn(audit, 'recordRead').mockImplementation((e) => {
      reads.push(e);
      return Promise.resolve();
    });
    tukums = (await createMunicipality(app, { name: 'Tukums' })).id;
    ogre = (await createMunicipality(app, { name: 'Ogre' })).id;
    // Staff see their own residents only (issue 11 D7): "Tukums" covers the address-register
    // municipality where most of the synthetic population lives.
    [{ territory }] = await ownerQuery<{ territory: string }>(
      `SELECT a.municipality AS territory FROM sim_residences r JOIN sim_addresses a ON a.code = r.address_code
        WHERE r.status = 'active' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    await tenantQuery(
      tukums,
      `INSERT INTO residence_territories (municipality_id, register_municipality) VALUES ($1, $2)`,
      [tukums, territory],
    );
    residence = {
      accountId: 'acc-residence',
      municipalityId: tukums,
      roles: ['caseworker:residence'],
    };
    manager = { accountId: 'acc-manager', municipalityId: tukums, roles: ['manager'] };
    // Real staff accounts signed in through the password form, one per viewer the tests use.
    for (const v of [
      residence,
      manager,
      { ...residence, municipalityId: ogre },
      { ...residence, roles: ['admin'] },
      { ...residence, roles: ['deputy'] },
    ]) {
      const grants = v.roles.map((r): GrantSpec =>
        r === 'caseworker:residence'
          ? { role: 'caseworker', process: 'residence-declaration' }
          : r === 'admin'
            ? 'administrator'
            : (r as GrantSpec),
      );
      sessions.set(sessionKey(v), await signInStaff(app, v.municipalityId, grants));
    }
  });
  beforeEach(() => {
    reads = [];
  });
  afterEach(() => app.get(Simulators).resetAll());
  afterAll(() => app.close());

  it('takes a person over from the population register on first lookup by code, then finds them locally', async () => {
    const p = await registerPerson(0);
    expect(await municipalCount(tukums, p.personal_code)).toBe(0);
    const first = await http()
      .post('/api/persons/search')
      .send({ q: p.personal_code, purpose: 'counter-service' })
      .set(asUser(residence))
      .expect(200);
    expect(first.body).toEqual({
      items: [
        expect.objectContaining({
          personalCode: p.personal_code,
          givenName: p.given_name,
          familyName: p.family_name,
          source: 'population_register',
        }),
      ],
      registerUnavailable: false,
    });
    expect(await municipalCount(tukums, p.personal_code)).toBe(1);
    const second = await http()
      .post('/api/persons/search')
      .send({ q: p.personal_code.replace('-', ''), purpose: 'counter-service' })
      .set(asUser(residence))
      .expect(200);
    expect(second.body.items).toEqual([
      expect.objectContaining({ id: first.body.items[0].id, source: 'municipal' }),
    ]);
    expect(await municipalCount(tukums, p.personal_code)).toBe(1);
    expect(await municipalCount(ogre, p.personal_code)).toBe(0);
  });

  it('takes a person over once when several lookups race', async () => {
    const p = await registerPerson(5);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        http()
          .post('/api/persons/search')
          .send({ q: p.personal_code, purpose: 'counter-service' })
          .set(asUser(residence))
          .expect(200),
      ),
    );
    const ids = new Set(answers.map((a) => (a.body.items as { id: string }[])[0].id));
    expect(ids.size).toBe(1);
    expect(await municipalCount(tukums, p.personal_code)).toBe(1);
  });

  it('searches names without diacritics and takes over register matches of a full name', async () => {
    const [p] = await ownerQuery<SimPersonRow>(
      `SELECT personal_code, given_name, family_name FROM sim_persons p WHERE family_name = 'Bērziņš'
          AND EXISTS (SELECT 1 FROM sim_residences r JOIN sim_addresses a ON a.code = r.address_code
                       WHERE r.personal_code = p.personal_code AND r.status = 'active' AND a.municipality = $1)
        ORDER BY personal_code LIMIT 1`,
      [territory],
    );
    const plain = p.given_name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const res = await http()
      .post('/api/persons/search')
      .send({ q: `berzins ${plain}`, purpose: 'counter-service' })
      .set(asUser(residence))
      .expect(200);
    const items = res.body.items as {
      personalCode: string;
      familyName: string;
      givenName: string;
    }[];
    expect(items.map((i) => i.personalCode)).toContain(p.personal_code);
    expect(items.every((i) => i.familyName === 'Bērziņš' && i.givenName === p.given_name)).toBe(
      true,
    );
    expect(await municipalCount(tukums, p.personal_code)).toBe(1);

    // one word searches the municipal table only: "berz" finds the persons taken over above
    const local = await http()
      .post('/api/persons/search')
      .send({ q: 'BERZ', purpose: 'counter-service' })
      .set(asUser(residence))
      .expect(200);
    expect(local.body.items.length).toBeGreaterThanOrEqual(items.length);
    expect(local.body.items.every((i: { source: string }) => i.source === 'municipal')).toBe(true);
    // another municipality sees none of Tukums' residents
    const other = await http()
      .post('/api/persons/search')
      .send({ q: 'berz', purpose: 'counter-service' })
      .set(asUser({ ...residence, municipalityId: ogre }))
      .expect(200);
    expect(other.body.items).toEqual([]);
  });

  it('shows a residence caseworker the full card with code, address history and family', async () => {
    const p = await registerPerson(1);
    const found = await http()
      .post('/api/persons/search')
      .send({ q: p.personal_code, purpose: 'counter-service' })
      .set(asUser(residence))
      .expect(200);
    const id = found.body.items[0].id as string;
    const card = await http()
      .post(`/api/persons/${id}/card`)
      .send({ purpose: 'counter-service' })
      .set(asUser(residence))
      .expect(200);
    expect(card.body).toMatchObject({
      id,
      personalCode: p.personal_code,
      hiddenFields: [],
      registerUnavailable: false,
    });
    expect(card.body.declaredResidence).toMatchObject({
      status: 'active',
      address: expect.stringMatching(/LV-\d{4}$/),
    });
    expect(card.body.addressHistory.length).toBeGreaterThanOrEqual(2);
    expect(card.body.addressHistory.some((r: { status: string }) => r.status !== 'active')).toBe(
      true,
    );
    expect(card.body.family.length).toBeGreaterThan(0);
    expect(reads).toEqual([
      {
        actor: accountOf(residence),
        municipalityId: tukums,
        personId: id,
        purpose: 'counter-service',
      },
      {
        actor: accountOf(residence),
        municipalityId: tukums,
        personId: id,
        purpose: 'counter-service',
      },
    ]);
  });

  it('hides the personal code, address history and family from a manager, and audits the read', async () => {
    const p = await registerPerson(2);
    const found = await http()
      .post('/api/persons/search')
      .send({ q: p.personal_code, purpose: 'counter-service' })
      .set(asUser(manager))
      .expect(200);
    expect(found.body.items[0]).toMatchObject({
      personalCode: null,
      personalCodeMasked: expect.stringMatching(/\*{5}$/),
    });
    const id = found.body.items[0].id as string;
    const card = await http()
      .post(`/api/persons/${id}/card`)
      .send({ purpose: 'counter-service' })
      .set(asUser(manager))
      .expect(200);
    expect(card.body).toMatchObject({
      personalCode: null,
      addressHistory: null,
      family: null,
      hiddenFields: ['personalCode', 'addressHistory', 'family'],
    });
    expect(card.body.declaredResidence).not.toBeNull();
    expect(JSON.stringify(card.body)).not.toContain(p.personal_code);
    expect(reads.map((r) => [r.actor, r.personId])).toEqual([
      [accountOf(manager), id],
      [accountOf(manager), id],
    ]);
  });

  it('answers with municipal data only while the population register is down', async () => {
    const p = await registerPerson(3);
    await http()
      .put('/api/dev/simulators/population/faults')
      .send({ down: true })
      .set(asUser({ ...residence, roles: ['admin'] }))
      .expect(200);
    const res = await http()
      .post('/api/persons/search')
      .send({ q: p.personal_code, purpose: 'counter-service' })
      .set(asUser(residence))
      .expect(200);
    expect(res.body).toEqual({ items: [], registerUnavailable: true });
    expect(await municipalCount(tukums, p.personal_code)).toBe(0);
    await http()
      .post('/api/dev/simulators/population/reset')
      .set(asUser({ ...residence, roles: ['admin'] }))
      .expect(201);
    const after = await http()
      .post('/api/persons/search')
      .send({ q: p.personal_code, purpose: 'counter-service' })
      .set(asUser(residence))
      .expect(200);
    expect(after.body.items).toHaveLength(1);
  });

  it('shows a card without register data when the register fails mid-way', async () => {
    const p = await registerPerson(4);
    const found = await http()
      .post('/api/persons/search')
      .send({ q: p.personal_code, purpose: 'counter-service' })
      .set(asUser(residence))
      .expect(200);
    app.get(Simulators).faults('population').set({ failNext: 1 });
    const card = await http()
      .post(`/api/persons/${found.body.items[0].id}/card`)
      .send({ purpose: 'counter-service' })
      .set(asUser(residence))
      .expect(200);
    expect(card.body).toMatchObject({
      registerUnavailable: true,
      declaredResidence: null,
      personalCode: p.personal_code,
    });
  });

  it.each([
    [
      { q: '010190-12340', purpose: 'counter-service' },
      [
        {
          field: 'q',
          message:
            'The last digit (check digit) of the personal code does not match — check that the code was entered correctly.',
        },
      ],
    ],
    [
      { q: '311390-12349', purpose: 'counter-service' },
      [
        {
          field: 'q',
          message: 'The first six digits of the personal code are not a valid date of birth.',
        },
      ],
    ],
    [
      { q: 'ā', purpose: 'counter-service' },
      [{ field: 'q', message: 'Enter at least 2 letters or a personal code.' }],
    ],
    [
      { q: 'berzins' },
      [{ field: 'purpose', message: 'Choose the purpose of the look-up from the list.' }],
    ],
    // Issue 12 M7: a purpose is a code of the list, never free text; a case purpose names a case.
    [
      { q: 'berzins', purpose: 'TUK-2026-1' },
      [
        {
          field: 'purpose',
          message: 'Choose one of the purposes in the list: free text is not accepted.',
        },
      ],
    ],
    [
      { q: 'berzins', purpose: 'curiosity' },
      [
        {
          field: 'purpose',
          message: 'Choose one of the purposes in the list: free text is not accepted.',
        },
      ],
    ],
    [
      { q: 'berzins', purpose: ['counter-service'] },
      [{ field: 'purpose', message: 'Choose the purpose of the look-up from the list.' }],
    ],
    [
      { q: 'berzins', purpose: 'case-handling' },
      [{ field: 'caseNumber', message: 'Enter the number of the case this look-up is for.' }],
    ],
    [
      { q: 'berzins', purpose: 'case-handling', caseNumber: 'TUK-2026-999999' },
      [
        {
          field: 'caseNumber',
          message: 'There is no case with this number in your municipality that you may work on.',
        },
      ],
    ],
    [
      { q: 'berzins', purpose: 'case-handling', caseNumber: 'x'.repeat(100) },
      [
        {
          field: 'caseNumber',
          message: 'There is no case with this number in your municipality that you may work on.',
        },
      ],
    ],
  ])('rejects %j with field errors and reads nothing', async (body, fields) => {
    const res = await http()
      .post('/api/persons/search')
      .query({ lang: 'en' })
      .send(body)
      .set(asUser(residence))
      .expect(422);
    expect(res.body).toMatchObject({ error: 'validation_failed', fields });
    expect(reads).toEqual([]);
  });

  it('refuses anonymous requests and roles without person rights', async () => {
    // Anonymous: no session, so no CSRF token either (refused before anything else).
    await http()
      .post('/api/persons/search')
      .send({ q: 'berzins', purpose: 'counter-service' })
      .expect(403);
    await http()
      .post('/api/persons/search')
      .send({ q: 'berzins', purpose: 'counter-service' })
      .set(asUser({ ...residence, roles: ['deputy'] }))
      .expect(403);
    await http()
      .post('/api/persons/00000000-0000-0000-0000-000000000000/card')
      .send({ purpose: 'counter-service' })
      .set(asUser(residence))
      .expect(404);
    expect(reads).toEqual([]);
  });

  describe('who may look people up, and for which case (issue 12 M7)', () => {
    const insertCase = (
      municipalityId: string,
      processKey: string,
    ): Promise<{ id: string; number: string }> =>
      tenantQuery<{ id: string; number: string }>(
        municipalityId,
        `INSERT INTO cases (municipality_id, number, process_key, process_version, title) VALUES ($1, $2, $3, 1, 'Test') RETURNING id, number`,
        [municipalityId, `M7-${Math.random().toString(36).slice(2, 10).toUpperCase()}`, processKey],
      ).then((r) => r[0]);

    it('refuses administrators and caseworkers of processes that do not need the register', async () => {
      const reference = await signInStaff(app, tukums, [
        { role: 'caseworker', process: 'reference' },
      ]);
      const p = await registerPerson(6);
      for (const headers of [asUser({ ...residence, roles: ['admin'] }), reference.headers]) {
        await http()
          .post('/api/persons/search')
          .send({ q: p.personal_code, purpose: 'counter-service' })
          .set(headers)
          .expect(403);
      }
      expect(reads).toEqual([]);
      expect(await municipalCount(tukums, p.personal_code)).toBe(0);
    });

    it('records the purpose code and the case of a case look-up', async () => {
      const p = await registerPerson(7);
      const c = await insertCase(tukums, 'residence-declaration');
      const res = await http()
        .post('/api/persons/search')
        .send({ q: p.personal_code, purpose: 'case-handling', caseNumber: c.number.toLowerCase() })
        .set(asUser(residence))
        .expect(200);
      const id = res.body.items[0].id as string;
      await http()
        .post(`/api/persons/${id}/card`)
        .send({ purpose: 'case-handling', caseNumber: c.id })
        .set(asUser(residence))
        .expect(200);
      expect(reads).toEqual([
        {
          actor: accountOf(residence),
          municipalityId: tukums,
          personId: id,
          purpose: 'case-handling',
          caseId: c.id,
          caseNumber: c.number,
        },
        {
          actor: accountOf(residence),
          municipalityId: tukums,
          personId: id,
          purpose: 'case-handling',
          caseId: c.id,
          caseNumber: c.number,
        },
      ]);
    });

    it('refuses a case of another municipality, or of a process the user may not work on, as unknown', async () => {
      const p = await registerPerson(8);
      const elsewhere = await insertCase(ogre, 'residence-declaration');
      const otherProcess = await insertCase(tukums, 'reference');
      for (const c of [elsewhere, otherProcess]) {
        for (const caseNumber of [c.number, c.id]) {
          const res = await http()
            .post('/api/persons/search')
            .query({ lang: 'en' })
            .send({ q: p.personal_code, purpose: 'case-handling', caseNumber })
            .set(asUser(residence))
            .expect(422);
          expect(res.body.fields).toEqual([
            {
              field: 'caseNumber',
              message:
                'There is no case with this number in your municipality that you may work on.',
            },
          ]);
        }
      }
      // A manager may read every case of the municipality, the reference case included.
      await http()
        .post('/api/persons/search')
        .send({ q: p.personal_code, purpose: 'case-handling', caseNumber: otherProcess.number })
        .set(asUser(manager))
        .expect(200);
      expect(reads).toHaveLength(1);
    });
  });

  describe('look-ups change state only by POST with the CSRF token (issue 12 L1)', () => {
    const auditCount = async (): Promise<number> =>
      (
        await tenantQuery<{ n: number }>(
          tukums,
          `SELECT count(*)::int AS n FROM audit_log WHERE municipality_id = $1`,
          [tukums],
        )
      )[0].n;

    it('a GET with a purpose in the query records nothing and takes no one over', async () => {
      jest.mocked(app.get<PersonDataAudit>(PERSON_DATA_AUDIT).recordRead).mockRestore();
      try {
        const p = await registerPerson(9);
        const before = await auditCount();
        const list = await http()
          .get('/api/persons')
          .query({ q: p.personal_code, purpose: 'counter-service' })
          .set(asUser(residence));
        expect(list.status).toBe(404);
        const card = await http()
          .get('/api/persons/00000000-0000-4000-8000-000000000000')
          .query({ purpose: 'counter-service' })
          .set(asUser(residence));
        expect(card.status).toBe(404);
        expect(await auditCount()).toBe(before);
        expect(await municipalCount(tukums, p.personal_code)).toBe(0);
        // The POST without the CSRF token is refused, and also records nothing.
        const { 'x-csrf-token': _token, ...cookieOnly } = asUser(residence);
        await http()
          .post('/api/persons/search')
          .send({ q: p.personal_code, purpose: 'counter-service' })
          .set(cookieOnly)
          .expect(403);
        expect(await auditCount()).toBe(before);
        expect(await municipalCount(tukums, p.personal_code)).toBe(0);
        // With it, the same look-up is recorded.
        await http()
          .post('/api/persons/search')
          .send({ q: p.personal_code, purpose: 'counter-service' })
          .set(asUser(residence))
          .expect(200);
        expect(await auditCount()).toBeGreaterThan(before);
      } finally {
        jest
          .spyOn(app.get<PersonDataAudit>(PERSON_DATA_AUDIT), 'recordRead')
          .mockImplementation((e) => {
            reads.push(e);
            return Promise.resolve();
          });
      }
    });
  });

  it('lets only admins flip simulator switches, with field errors for bad input', async () => {
    await http()
      .put('/api/dev/simulators/population/faults')
      .send({ down: true })
      .set(asUser(residence))
      .expect(403);
    const bad = await http()
      .put('/api/dev/simulators/population/faults')
      .send({ latencyMs: -1 })
      .query({ lang: 'en' })
      .set(asUser({ ...residence, roles: ['admin'] }))
      .expect(422);
    expect(bad.body.fields).toEqual([
      { field: 'latencyMs', message: 'Enter a delay in milliseconds from 0 to 60,000.' },
    ]);
    await http()
      .put('/api/dev/simulators/nope/faults')
      .send({})
      .set(asUser({ ...residence, roles: ['admin'] }))
      .expect(404);
    const list = await http()
      .get('/api/dev/simulators')
      .set(asUser({ ...residence, roles: ['admin'] }))
      .expect(200);
    expect(list.body.map((s: { name: string; down: boolean }) => [s.name, s.down])).toEqual([
      ['population', false],
      ['address', false],
      ['property', false],
      ['social-insurance', false],
      ['income', false],
      ['employment', false],
      ['disability', false],
      ['vehicles', false],
      ['assistance', false],
    ]);
    // Each means-test register has its own switch: a latency range, fail-N-then-recover, timeouts.
    const income = await http()
      .put('/api/dev/simulators/income/faults')
      .send({ latencyMs: 50, latencyMaxMs: 300, failNext: 2, timeoutNext: 1, timeoutMs: 100 })
      .set(asUser({ ...residence, roles: ['admin'] }))
      .expect(200);
    expect(income.body).toMatchObject({
      name: 'income',
      latencyMs: 50,
      latencyMaxMs: 300,
      failNext: 2,
      timeoutNext: 1,
      timeoutMs: 100,
    });
    await http()
      .post('/api/dev/simulators/income/reset')
      .set(asUser({ ...residence, roles: ['admin'] }))
      .expect(201);
  });
});
