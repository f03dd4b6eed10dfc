import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Person } from '../../../src/persons/person.entity';
import { setRegisterTerritory, TerritoryError } from '../../../src/persons/register-territory';
import { signInCitizen, signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(180_000);

/**
 * Issue 12 H2 (the register territory is platform configuration, lists never cross it), L4 (no
 * spreadsheet formulas in exports) and issue 11 D7 (staff see only their own residents, and every
 * look-up shows in the person's "Who used my data").
 */
let h: ResidenceHarness;
let code: string;
let greek: string;
let admin: Session;
let caseworker: Session;
let greekCaseworker: Session;
const own = `Testa novads ${randomBytes(3).toString('hex')}`;
const elsewhere = `Cits novads ${randomBytes(3).toString('hex')}`;
const residents: string[] = [];
const outsiders: string[] = [];
/** A demo eID identity (the dev IdP signs it in), living in this municipality's territory. */
const CITIZEN = '180269-15678';
const RESIDENCE = [{ role: 'caseworker' as const, process: 'residence-declaration' }];

const download = (s: Session, path: string) =>
  s.agent
    .get(path)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
const auditOf = (municipalityId: string, action: string) =>
  h.tenantDb.run(municipalityId, (em) =>
    em.query(`SELECT person_id, purpose, details FROM audit_log WHERE action = $1 ORDER BY seq`, [
      action,
    ]),
  ) as Promise<
    { person_id: string | null; purpose: string | null; details: Record<string, unknown> }[]
  >;

beforeAll(async () => {
  h = await startResidenceApp();
  [{ code }] = (await h.owner.query(`SELECT code FROM municipalities WHERE id = $1`, [
    h.municipalityId,
  ])) as { code: string }[];
  greek = (await createMunicipality(h.owner, { country: 'GR', name: 'Δήμος Δοκιμής' })).id;
  // Residents of the territory; one with names a spreadsheet would run as formulas.
  const formula = await h.sim.person(
    '1970-01-01',
    '+SUM(1,1)',
    '=HYPERLINK("http://evil.example","x")',
  );
  const plain = await h.sim.person('1971-01-01', 'Anna', 'Vietēja');
  for (const p of [formula, plain]) {
    await h.sim.residence(p, (await h.sim.apartment([], own, 'Liepu iela')).code, '2024-01-01');
    residents.push(p);
  }
  await h.sim.person('1969-02-18', 'Guntis', 'Čakste', { code: CITIZEN, sex: 'M' });
  await h.sim.residence(CITIZEN, (await h.sim.apartment([], own, 'Liepu iela')).code, '2026-11-01');
  residents.push(CITIZEN);
  // Residents of another municipality's territory (the "Rīga" of the report), same street name.
  for (let i = 0; i < 3; i++) {
    const p = await h.sim.person('1980-02-02', 'Cits', `Rīdzinieks${i}`);
    await h.sim.residence(
      p,
      (await h.sim.apartment([], elsewhere, 'Liepu iela')).code,
      '2024-01-01',
    );
    outsiders.push(p);
  }
  await setRegisterTerritory(h.owner, code, own, 'test');
  admin = await signInStaff(h.running.app, h.municipalityId, ['administrator']);
  caseworker = await signInStaff(h.running.app, h.municipalityId, RESIDENCE);
  greekCaseworker = await signInStaff(h.running.app, greek, RESIDENCE);
});
afterAll(() => h?.close());

/** A person's card page: a POST with a purpose of the list (issue 12 M7, L1). */
const openCard = (s: Session, personCode: string, purpose: string) =>
  s.agent
    .post('/workspace/residence/persons/card?lang=en')
    .type('form')
    .send({ _csrf: s.csrf, code: personCode, purpose });

describe('the register territory (platform configuration)', () => {
  it('cannot be changed by a municipal administrator: the route is gone and the app role may not write it', async () => {
    await admin.agent
      .post('/workspace/residence/territory')
      .type('form')
      .send({ _csrf: admin.csrf, registerMunicipality: elsewhere })
      .expect(404);
    for (const sql of [
      `UPDATE residence_territories SET register_municipality = '${elsewhere}'`,
      `INSERT INTO residence_territories (municipality_id, register_municipality) VALUES ('${greek}', '${elsewhere}')`,
      `DELETE FROM residence_territories`,
    ]) {
      const tenant = sql.startsWith('INSERT') ? greek : h.municipalityId;
      await expect(h.tenantDb.run(tenant, (em) => em.query(sql))).rejects.toThrow(
        /permission denied for table residence_territories/,
      );
    }
    const [row] = (await h.tenantDb.run(h.municipalityId, (em) =>
      em.query(`SELECT register_municipality FROM residence_territories`),
    )) as { register_municipality: string }[];
    expect(row.register_municipality).toBe(own);
  });

  it('is set by the operator only to a municipality of the address register, and the change is audited', async () => {
    await expect(setRegisterTerritory(h.owner, code, 'Nav tāda novada', 'test')).rejects.toThrow(
      TerritoryError,
    );
    await expect(setRegisterTerritory(h.owner, code, 'Nav tāda novada', 'test')).rejects.toThrow(
      /is not a municipality of the address register/,
    );
    const entries = await auditOf(h.municipalityId, 'residence.territory_set');
    expect(entries).toEqual([
      expect.objectContaining({ details: { registerMunicipality: own, previous: null } }),
    ]);
  });

  it('is set with the CLI (civitas territory:set <code> <name>), refusing a name the address register does not know', async () => {
    const [{ code: greekCode }] = (await h.owner.query(
      `SELECT code FROM municipalities WHERE id = $1`,
      [greek],
    )) as { code: string }[];
    const root = join(__dirname, '..', '..', '..');
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [
          '-r',
          join(root, 'test/support/swc-register.js'),
          join(root, 'src/cli.ts'),
          'territory:set',
          ...args,
        ],
        {
          cwd: root,
          env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test' },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
    const bad = cli(greekCode, 'Nav', 'tāda');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('"Nav tāda" is not a municipality of the address register');
    const ok = cli(greekCode, ...elsewhere.split(' '));
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`territory of ${greekCode}: ${elsewhere}`);
    const [row] = (await h.tenantDb.run(greek, (em) =>
      em.query(`SELECT register_municipality FROM residence_territories`),
    )) as { register_municipality: string }[];
    expect(row.register_municipality).toBe(elsewhere);
    expect(await auditOf(greek, 'residence.territory_set')).toEqual([
      expect.objectContaining({ details: { registerMunicipality: elsewhere, previous: null } }),
    ]);
    // Back to no territory, so the look-up tests below see a municipality with none of these residents.
    await h.owner.transaction(async (em) => {
      await em.query(`SELECT set_config('app.municipality_id', $1, true)`, [greek]);
      await em.query(`DELETE FROM residence_territories WHERE municipality_id = $1`, [greek]);
    });
  });

  it('bounds every list and export: no person outside the territory', async () => {
    const page = await caseworker.agent
      .get('/workspace/residence/lists/persons?street=Liepu')
      .expect(200);
    for (const p of residents) expect(page.text).toContain(p);
    for (const p of outsiders) expect(page.text).not.toContain(p);
    const csv = await caseworker.agent
      .get('/workspace/residence/lists/persons/export.csv')
      .expect(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(1 + residents.length);
    for (const p of outsiders) expect(csv.text).not.toContain(p);
  });
});

describe('list exports and spreadsheet formulas (OWASP CSV injection)', () => {
  it('writes text cells starting with = + - @ as text in CSV and XLSX', async () => {
    const csv = await caseworker.agent
      .get('/workspace/residence/lists/persons/export.csv')
      .expect(200);
    const line = csv.text.split(/\r?\n/).find((l) => l.startsWith(residents[0]))!;
    expect(line).toContain(`'+SUM(1,1)`);
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(line).not.toMatch(/,=|,\+/);

    const xlsx = await download(
      caseworker,
      '/workspace/residence/lists/persons/export.xlsx',
    ).expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const ws = wb.worksheets[0];
    const row = [...Array(ws.rowCount).keys()]
      .map((i) => ws.getRow(i + 1))
      .find((r) => r.getCell(1).value === residents[0])!;
    expect(row.getCell(2).value).toBe(`'+SUM(1,1)`);
    expect(row.getCell(3).value).toBe(`'=HYPERLINK("http://evil.example","x")`);
  });
});

describe("a municipality's staff and other municipalities' residents (issue 11 D7)", () => {
  it('a Greek caseworker gets 404 with a clear message for a Latvian resident; nothing is copied, the refusal is audited', async () => {
    // The residence pages are not offered in a Greek municipality at all; the generic look-up refuses the person.
    const res = await greekCaseworker.agent
      .get(`/workspace/residence/persons/${residents[1]}?lang=en`)
      .expect(404);
    expect(res.text).toContain('This service is not offered by this municipality.');
    expect(res.text).not.toContain('Vietēja');
    const api = await greekCaseworker.agent
      .post('/api/persons/search')
      .send({ q: residents[1], purpose: 'counter-service' })
      .set(greekCaseworker.headers)
      .expect(404);
    expect(api.body.fields).toEqual([
      {
        field: 'q',
        message:
          'This person is not a resident of your municipality and is not a party to any of its cases, so their data is not shown.',
      },
    ]);
    expect(JSON.stringify(api.body)).not.toContain('Vietēja');
    // No copy of the person in the Greek municipality, by code or by name.
    expect(
      await h.tenantDb.run(greek, (em) =>
        em.count(Person, { where: { personalCode: residents[1] } }),
      ),
    ).toBe(0);
    const byName = await greekCaseworker.agent
      .post('/api/persons/search')
      .send({ q: 'Anna Vietēja', purpose: 'counter-service' })
      .set(greekCaseworker.headers)
      .expect(200);
    expect(byName.body.items).toEqual([]);
    const refused = await auditOf(greek, 'person.lookup_refused');
    expect(refused.length).toBe(1); // the look-up by code (a name search that finds no resident is no refusal)
    expect(refused[0].details).toMatchObject({ reason: 'not_resident' });
    expect(JSON.stringify(refused)).not.toContain(residents[1]);
  });

  it("the municipality's own caseworker sees the resident, not the outsider", async () => {
    const card = await openCard(caseworker, residents[1], 'counter-service').expect(200);
    expect(card.text).toContain('Vietēja');
    await openCard(caseworker, outsiders[0], 'counter-service').expect(404);
  });

  it('a Greek caseworker may see a person who is party to one of its cases', async () => {
    await h.tenantDb.run(greek, (em) =>
      em.query(
        `INSERT INTO cases (municipality_id, number, process_key, process_version, title, applicant_ref) VALUES ($1, $2, 'reference', 1, 'Test', $3)`,
        [greek, `GR-${randomBytes(3).toString('hex')}`, outsiders[1]],
      ),
    );
    const card = await greekCaseworker.agent
      .post('/api/persons/search')
      .send({ q: outsiders[1], purpose: 'counter-service' })
      .set(greekCaseworker.headers)
      .expect(200);
    expect(JSON.stringify(card.body.items)).toContain('Rīdzinieks1');
  });

  it('every look-up shows in the person\'s own "Who used my data"', async () => {
    await openCard(caseworker, CITIZEN, 'annulment-check').expect(200);
    const b = await signInCitizen(h.running.url, h.municipalityId, CITIZEN);
    const mine = (await (
      await b.get('/api/me/consultations', { accept: 'application/json' })
    ).json()) as { personId: string; consultations: { purpose: string }[] };
    expect(mine.personId).not.toBeNull();
    expect(mine.consultations.map((c) => c.purpose)).toContain('annulment-check');
    // The resident reads the purpose in their language (issue 12 M7: a code of the list).
    const page = await (await b.get('/my-data/consultations?lang=en')).text();
    expect(page).toContain('Checking a declared residence before an annulment');
    // The reads are recorded with the person's id in their municipality.
    const reads = await auditOf(h.municipalityId, 'person.read');
    expect(
      reads
        .filter((r) => r.purpose === 'annulment-check')
        .every((r) => r.person_id === mine.personId),
    ).toBe(true);
  });
});
