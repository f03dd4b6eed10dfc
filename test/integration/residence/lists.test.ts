import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { setRegisterTerritory } from '../../../src/persons/register-territory';
import { maskPersonalCode } from '../../../src/persons/personal-code';
import { signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(90_000);

let h: ResidenceHarness;
let staff: Session;
const territory = `Testa novads ${randomBytes(3).toString('hex')}`;
const people: string[] = [];

beforeAll(async () => {
  h = await startResidenceApp();
  staff = await signInStaff(h.running.app, h.municipalityId, ['caseworker']);
  // 7 adults on Liepu iela (one a parent of 3 minors), 3 minors, 2 adults on Ozolu iela.
  const parent = await h.sim.person('1980-01-01', 'Inga', 'Daudzbērne');
  for (let i = 0; i < 3; i++) {
    const kid = await h.sim.person(`201${i}-05-05`, 'Bērns', `Daudzbērns${i}`);
    await h.sim.parentOf(parent, kid);
    const flat = await h.sim.apartment([], territory, 'Liepu iela');
    await h.sim.residence(kid, flat.code, '2024-06-01');
    people.push(kid);
  }
  people.push(parent);
  await h.sim.residence(
    parent,
    (await h.sim.apartment([], territory, 'Liepu iela')).code,
    '2024-06-01',
  );
  for (let i = 0; i < 6; i++) {
    const p = await h.sim.person(`19${60 + i}-02-02`, 'Pers', `Liepa${i}`);
    await h.sim.residence(
      p,
      (await h.sim.apartment([], territory, 'Liepu iela')).code,
      i < 3 ? '2020-01-01' : '2025-01-01',
    );
    people.push(p);
  }
  for (let i = 0; i < 2; i++) {
    const p = await h.sim.person('1975-03-03', 'Pers', `Ozols${i}`);
    await h.sim.residence(
      p,
      (await h.sim.apartment([], territory, 'Ozolu iela')).code,
      '2023-01-01',
    );
    people.push(p);
  }
  // Platform configuration, set as the operator does (CLI territory:set), once the register knows the territory.
  const [{ code }] = (await h.owner.query(`SELECT code FROM municipalities WHERE id = $1`, [
    h.municipalityId,
  ])) as { code: string }[];
  await setRegisterTerritory(h.owner, code, territory, 'test');
});
afterAll(() => h?.close());

const rowsOf = (html: string): number =>
  (html.match(/<tr class="govuk-table__row"><td class="govuk-table__cell"><a/g) ?? []).length;

describe('residence lists', () => {
  it('filters by street, age and declaration date, pages with a next link', async () => {
    const all = await staff.agent
      .get('/workspace/residence/lists/persons?street=Liepu')
      .expect(200);
    expect(rowsOf(all.text)).toBe(10);
    const adults = await staff.agent
      .get('/workspace/residence/lists/persons?street=Liepu&ageMin=18')
      .expect(200);
    expect(rowsOf(adults.text)).toBe(7);
    const recent = await staff.agent
      .get('/workspace/residence/lists/persons?street=Liepu&ageMin=18&declaredFrom=2024-01-01')
      .expect(200);
    expect(rowsOf(recent.text)).toBe(4);
    const ozolu = await staff.agent
      .get('/workspace/residence/lists/persons?street=Ozolu')
      .expect(200);
    expect(rowsOf(ozolu.text)).toBe(2);
    expect(ozolu.text).not.toContain('data-testid="next"');
  });

  it('lists large families (3+ minor children)', async () => {
    const res = await staff.agent.get('/workspace/residence/lists/large-families').expect(200);
    expect(rowsOf(res.text)).toBe(1);
    expect(res.text).toContain('Daudzbērne');
  });

  it('refuses bad filters field by field', async () => {
    const res = await staff.agent
      .get('/workspace/residence/lists/persons?ageMin=abc&declaredFrom=2024-02-31&status=lost')
      .expect(422);
    expect(res.text).toContain('href="#ageMin"');
    expect(res.text).toContain('href="#declaredFrom"');
    expect(res.text).toContain('href="#status"');
    expect(rowsOf(res.text)).toBe(0);
  });

  it('exports CSV and XLSX with every matching row', async () => {
    const csv = await staff.agent
      .get('/workspace/residence/lists/persons/export.csv?street=Liepu')
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toContain('Personas kods');
    expect(lines).toHaveLength(11);
    const xlsx = await staff.agent
      .get('/workspace/residence/lists/persons/export.xlsx?street=Ozolu')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(3);
    expect(String(ws.getRow(2).getCell(3).value)).toMatch(/Ozols/);
  });

  it('masks personal codes in pages and exports for a manager without the right to see them', async () => {
    const code = people[people.length - 1];
    const masked = maskPersonalCode(code);
    const xlsxOf = async (agent: Session['agent']): Promise<string[]> => {
      const res = await agent
        .get('/workspace/residence/lists/persons/export.xlsx?street=Ozolu')
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as never);
      const ws = wb.worksheets[0];
      return [2, 3].map((i) => String(ws.getRow(i).getCell(1).value));
    };
    const manager = await signInStaff(h.running.app, h.municipalityId, ['manager']);
    const page = await manager.agent
      .get('/workspace/residence/lists/persons?street=Ozolu')
      .expect(200);
    expect(page.text).not.toContain(code);
    expect(page.text).toContain(masked);
    expect(page.text).not.toContain(`/workspace/residence/persons/${masked}`);
    const csv = await manager.agent
      .get('/workspace/residence/lists/persons/export.csv?street=Ozolu')
      .expect(200);
    expect(csv.text).not.toContain(code);
    expect(csv.text).toContain(masked);
    const cells = await xlsxOf(manager.agent);
    expect(cells).toContain(masked);
    expect(cells).not.toContain(code);

    const full = await staff.agent
      .get('/workspace/residence/lists/persons?street=Ozolu')
      .expect(200);
    expect(full.text).toContain(`/workspace/residence/persons/${code}`);
    expect(
      (
        await staff.agent
          .get('/workspace/residence/lists/persons/export.csv?street=Ozolu')
          .expect(200)
      ).text,
    ).toContain(code);
    expect(await xlsxOf(staff.agent)).toContain(code);
  });

  it('saves filters per user', async () => {
    await staff.agent
      .post('/workspace/residence/lists/persons/saved')
      .type('form')
      .send({ _csrf: staff.csrf, name: 'Liepu adults', street: 'Liepu', ageMin: '18' })
      .expect(303);
    const page = await staff.agent.get('/workspace/residence/lists/persons').expect(200);
    expect(page.text).toContain('Liepu adults');
    const other = await signInStaff(h.running.app, h.municipalityId, ['caseworker']);
    expect(
      (await other.agent.get('/workspace/residence/lists/persons').expect(200)).text,
    ).not.toContain('Liepu adults');
  });

  it('lists declarations of the case file', async () => {
    const res = await staff.agent
      .get('/workspace/residence/lists/declarations?status=registered')
      .expect(200);
    expect(res.text).toContain('data-testid="list"');
    await staff.agent.get('/workspace/residence/lists/nonsense').expect(404);
  });

  describe('the declarations list (D9) and exports (D26)', () => {
    let applicant: string;
    beforeAll(async () => {
      // A single adult declaring only herself: one person declared, no children.
      applicant = await h.sim.person('1991-07-14', 'Solvita', 'Vientuļā');
      await h.owner.transaction(async (em) => {
        await em.query(`SELECT set_config('app.municipality_id', $1, true)`, [h.municipalityId]);
        await em.query(
          `INSERT INTO residence_declarations (municipality_id, submission_key, channel, applicant_code, person_codes, address_code, address_text, basis, fee_cents, status, declared_on, entered_by)
         VALUES ($1, $2, 'portal', $3, $4::jsonb, 'A-1', 'Liepu iela 99 Testa novads', 'owner', 0, 'registered', '2026-03-02', 'test')`,
          [
            h.municipalityId,
            `d9-${randomBytes(4).toString('hex')}`,
            applicant,
            JSON.stringify([applicant]),
          ],
        );
      });
    });
    const rowOf = (html: string): string =>
      html.split(applicant).slice(1).join('').split('</tr>')[0];

    it("shows the applicant's name and date of birth, the persons declared and the status in words", async () => {
      const res = await staff.agent
        .get('/workspace/residence/lists/declarations?status=registered&lang=en')
        .expect(200);
      const row = rowOf(res.text);
      expect(row).toContain('Solvita Vientuļā');
      expect(row).toContain('1991-07-14');
      expect(row).toContain('>registered<');
      expect(res.text).toContain('>Persons declared<');
      expect(res.text).not.toContain('>Minor children<');
      expect(row).toMatch(
        /<td class="govuk-table__cell">1<\/td><\/tr>|<td class="govuk-table__cell">1<\/td>$/,
      );
    });

    it('offers one coherent status filter per list', async () => {
      const options = (html: string): string[] =>
        [
          ...html
            .split('id="status"')[1]
            .split('</select>')[0]
            .matchAll(/value="([^"]*)"/g),
        ]
          .map((m) => m[1])
          .filter(Boolean);
      expect(
        options(
          (await staff.agent.get('/workspace/residence/lists/declarations').expect(200)).text,
        ),
      ).toEqual(['submitted', 'registered', 'rejected']);
      expect(
        options((await staff.agent.get('/workspace/residence/lists/persons').expect(200)).text),
      ).toEqual(['active', 'ended', 'annulled']);
      expect(
        (await staff.agent.get('/workspace/residence/lists/declarations?status=active').expect(422))
          .text,
      ).toContain('href="#status"');
      await staff.agent.get('/workspace/residence/lists/persons?status=registered').expect(422);
    });

    it("exports given and family name under their own headers and the status in the reader's language", async () => {
      const csv = await staff.agent
        .get('/workspace/residence/lists/declarations/export.csv?status=registered&lang=en')
        .expect(200);
      const [header, ...lines] = csv.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n');
      expect(header.split(',')).toEqual([
        'Personal code',
        'Given name',
        'Family name',
        'Date of birth',
        'Address',
        'Declared from',
        'Status',
        'Persons declared',
      ]);
      expect(lines.find((l) => l.includes(applicant))!.split(',')).toEqual([
        applicant,
        'Solvita',
        'Vientuļā',
        '1991-07-14',
        'Liepu iela 99 Testa novads',
        '2026-03-02',
        'registered',
        '1',
      ]);
      const xlsx = await staff.agent
        .get('/workspace/residence/lists/persons/export.xlsx?street=Ozolu&lang=el')
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body as never);
      const ws = wb.worksheets[0];
      expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
        'Προσωπικός κωδικός',
        'Όνομα',
        'Επώνυμο',
        'Ημερομηνία γέννησης',
        'Διεύθυνση',
        'Δηλώθηκε από',
        'Κατάσταση',
        'Ανήλικα τέκνα',
      ]);
      expect(ws.getRow(2).getCell(2).value).toBe('Pers');
      expect(String(ws.getRow(2).getCell(3).value)).toMatch(/^Ozols/);
      expect(ws.getRow(2).getCell(4).value).toBeInstanceOf(Date);
      expect(ws.getRow(2).getCell(7).value).toBe('τρέχουσα');
    });
  });

  it('is not open to citizens or anonymous users', async () => {
    await request(h.running.app.getHttpServer())
      .get('/workspace/residence/lists/persons')
      .expect((r) => expect([302, 303, 401, 403]).toContain(r.status));
  });
});
