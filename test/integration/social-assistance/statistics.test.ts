import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { PaymentLine } from '../../../src/payments/payment-line.entity';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { formatMoney } from '../../../src/web/money';
import { startApp, type RunningApp } from '../../support/app';
import { signInStaff, type Session } from '../../support/session';
import { createMunicipality } from '../../factories/municipalities';
import { createAwardFigures, createAwardPaymentLine } from '../../factories/awards';

jest.setTimeout(120_000);

/**
 * Social-assistance statistics on the real application and database: awards and payment lines
 * seeded in two municipalities, the figures exact per month, status, benefit and territory; each
 * municipality sees only its own; CSV and XLSX read back; the ministry report; bad periods answer
 * 422 with field errors.
 */
let h: RunningApp;
let A: string;
let B: string;
let cwA: Session;
let mB: Session;

const binary = (req: ReturnType<Session['agent']['get']>) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

/** RFC 4180 rows (quoted cells, doubled quotes), the byte-order mark dropped. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

const sheetRows = async (res: Response): Promise<ExcelJS.CellValue[][][]> => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as never);
  return wb.worksheets.map((ws) => {
    const out: ExcelJS.CellValue[][] = [];
    ws.eachRow({ includeEmpty: true }, (r) => out.push((r.values as ExcelJS.CellValue[]).slice(1)));
    return out;
  });
};

beforeAll(async () => {
  h = await startApp();
  A = (await createMunicipality(h.app)).id;
  B = (await createMunicipality(h.app)).id;
  cwA = await signInStaff(h.app, A, [{ role: 'caseworker', process: 'social-assistance' }]);
  mB = await signInStaff(h.app, B, ['manager']);

  // A: a needy couple on GMI and housing benefit for the quarter, paid in January and February
  // (February's housing line rejected and re-issued), March's GMI line still scheduled and its
  // housing line cancelled.
  const a1 = await createAwardFigures(h.app, A, {
    status: 'needy',
    persons: 2,
    territory: 'Tukums',
    validFrom: '2026-01-01',
    validUntil: '2026-03-31',
    amounts: { gmi: 100_00, housing: 50_00 },
  });
  const line = (
    award: typeof a1,
    b: 'gmi' | 'housing',
    m: string,
    c: number,
    s: PaymentLine['status'],
    suffix = '',
  ) => createAwardPaymentLine(h.app, A, award.award, b, m, c, s, suffix);
  await line(a1, 'gmi', '2026-01', 100_00, 'paid');
  await line(a1, 'gmi', '2026-02', 100_00, 'paid');
  await line(a1, 'gmi', '2026-03', 100_00, 'scheduled');
  await line(a1, 'housing', '2026-01', 50_00, 'paid');
  await line(a1, 'housing', '2026-02', 50_00, 'rejected');
  await line(a1, 'housing', '2026-02', 50_00, 'paid', ':r1');
  await line(a1, 'housing', '2026-03', 50_00, 'cancelled');
  // A: a low-income household of three in Irlava with housing benefit from February.
  const a2 = await createAwardFigures(h.app, A, {
    status: 'low-income',
    persons: 3,
    territory: 'Irlava',
    validFrom: '2026-02-01',
    validUntil: '2026-07-31',
    amounts: { housing: 80_00 },
  });
  await line(a2, 'housing', '2026-02', 80_00, 'paid');
  await line(a2, 'housing', '2026-03', 80_00, 'in_run');
  // A: a single person, territory unknown, stopped from 1 February (in force in January only).
  const a3 = await createAwardFigures(h.app, A, {
    status: 'needy',
    persons: 1,
    territory: null,
    validFrom: '2026-01-15',
    validUntil: '2026-06-30',
    state: 'stopped',
    stoppedOn: '2026-02-01',
    amounts: { gmi: 30_00 },
  });
  await line(a3, 'gmi', '2026-01', 30_00, 'paid');
  // A: outside the period (before and after), and a line of another process's case.
  await createAwardFigures(h.app, A, {
    status: 'low-income',
    persons: 5,
    validFrom: '2025-01-01',
    validUntil: '2025-12-31',
  });
  await createAwardFigures(h.app, A, {
    status: 'needy',
    householdCodes: a1.award.householdCodes,
    validFrom: '2026-04-01',
    validUntil: '2026-06-30',
  });
  await h.app.get(TenantDb).run(A, (em) =>
    em.getRepository(PaymentLine).save({
      municipalityId: A,
      caseId: randomUUID(),
      key: 'gmi:2026-01',
      payeeKind: 'resident',
      payeeName: 'Other',
      payeeIban: 'LV80BANK0000435195001',
      amountCents: 7777_00,
      dueMonth: '2026-01',
      remittance: 'other',
      status: 'paid',
      createdBy: 'system',
    }),
  );

  // B: a needy household of four in Ogre, GMI paid in January.
  const b1 = await createAwardFigures(h.app, B, {
    status: 'needy',
    persons: 4,
    territory: 'Ogre',
    validFrom: '2026-01-01',
    validUntil: '2026-03-31',
    amounts: { gmi: 999_99 },
  });
  await createAwardPaymentLine(h.app, B, b1.award, 'gmi', '2026-01', 999_99, 'paid');
});
afterAll(() => h?.close());

const Q1 = 'from=2026-01&to=2026-03';

describe('social-assistance statistics page', () => {
  it('shows households and persons per month by status, benefits with scheduled and paid amounts, and territories', async () => {
    const page = await cwA.agent.get(`/workspace/social-assistance/statistics?${Q1}&lang=en`);
    expect(page.status).toBe(200);
    const num = (n: number) => `<td class="govuk-table__cell govuk-table__cell--numeric">${n}</td>`;
    const row = (m: string, ...n: number[]) =>
      `<th scope="row" class="govuk-table__header">${m}</th>${n.map(num).join('')}`;
    // month | needy hh | persons | low-income hh | persons | all hh | persons
    expect(page.text).toContain(row('2026-01', 2, 3, 0, 0, 2, 3));
    expect(page.text).toContain(row('2026-02', 1, 2, 1, 3, 2, 5));
    expect(page.text).toContain(row('2026-03', 1, 2, 1, 3, 2, 5));
    const money = (c: number) => formatMoney(c, 'en');
    const cell = (v: string) => `<td class="govuk-table__cell">${v}</td>`;
    const benefitTotal = (m: string, b: string, hh: number, p: number, s: number, paid: number) =>
      `${cell(m)}${cell(b)}<td class="govuk-table__cell"><strong>All</strong></td>${num(hh)}${num(p)}<td class="govuk-table__cell govuk-table__cell--numeric">${money(s)}</td><td class="govuk-table__cell govuk-table__cell--numeric">${money(paid)}</td>`;
    expect(page.text).toContain(benefitTotal('2026-01', 'GMI benefit', 2, 3, 130_00, 130_00));
    expect(page.text).toContain(benefitTotal('2026-01', 'Housing benefit', 1, 2, 50_00, 50_00));
    expect(page.text).toContain(benefitTotal('2026-02', 'GMI benefit', 1, 2, 100_00, 100_00));
    expect(page.text).toContain(benefitTotal('2026-02', 'Housing benefit', 2, 5, 130_00, 130_00));
    expect(page.text).toContain(benefitTotal('2026-03', 'GMI benefit', 1, 2, 100_00, 0));
    expect(page.text).toContain(benefitTotal('2026-03', 'Housing benefit', 2, 5, 80_00, 0));
    // By territory: January, Tukums (the couple) and the unknown territory (the single person).
    expect(page.text).toContain(
      `${cell('2026-01')}${cell('Territory not known')}${num(1)}${num(1)}<td class="govuk-table__cell govuk-table__cell--numeric">${money(30_00)}</td>`,
    );
    expect(page.text).toContain(
      `${cell('2026-02')}${cell('Irlava')}${num(1)}${num(3)}<td class="govuk-table__cell govuk-table__cell--numeric">${money(0)}</td><td class="govuk-table__cell govuk-table__cell--numeric">${money(0)}</td><td class="govuk-table__cell govuk-table__cell--numeric">${money(80_00)}</td>`,
    );
    // Charts drawn by the shared script from data-chart, each beside its table; no personal codes.
    expect(page.text.match(/<canvas hidden data-chart=/g)).toHaveLength(2);
    expect(page.text).toContain('/assets/js/stats-chart.js');
    expect(page.text).not.toMatch(/\d{6}-\d{5}/);
    expect(page.text).not.toContain('Ogre');
  });

  it('writes money in the reader’s language', async () => {
    const lv = await cwA.agent.get(`/workspace/social-assistance/statistics?${Q1}&lang=lv`);
    expect(lv.status).toBe(200);
    expect(lv.text).toContain(formatMoney(130_00, 'lv'));
    expect(formatMoney(130_00, 'lv')).not.toBe(formatMoney(130_00, 'en'));
    expect(lv.text).toContain('Mājokļa pabalsts');
  });

  it('shows another municipality only its own figures', async () => {
    const page = await mB.agent.get(`/workspace/social-assistance/statistics?${Q1}&lang=en`);
    expect(page.status).toBe(200);
    const num = (n: number) => `<td class="govuk-table__cell govuk-table__cell--numeric">${n}</td>`;
    expect(page.text).toContain(
      `<th scope="row" class="govuk-table__header">2026-01</th>${[1, 4, 0, 0, 1, 4].map(num).join('')}`,
    );
    expect(page.text).toContain('Ogre');
    expect(page.text).not.toContain('Tukums');
    expect(page.text).not.toContain('Irlava');
    expect(page.text).toContain(formatMoney(999_99, 'en'));
    expect(page.text).not.toContain(formatMoney(130_00, 'en'));
  });

  it('answers a bad period with field errors in the reader’s language (422), on the page and the exports', async () => {
    const bad = await cwA.agent.get(
      '/workspace/social-assistance/statistics?from=2026-13&to=x&lang=lv',
    );
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('href="#from"');
    expect(bad.text).toContain('href="#to"');
    expect(bad.text).toContain('Ievadiet mēnesi formā GGGG-MM');
    const reversed = await cwA.agent.get(
      '/workspace/social-assistance/statistics?from=2026-05&to=2026-01&lang=en',
    );
    expect(reversed.status).toBe(422);
    expect(reversed.text).toContain('must not be before');
    const long = await cwA.agent.get(
      '/workspace/social-assistance/statistics?from=2000-01&to=2026-01&lang=el',
    );
    expect(long.status).toBe(422);
    expect(long.text).toContain('120');
    const csv = await cwA.agent.get('/workspace/social-assistance/statistics/export.csv?from=2026');
    expect(csv.status).toBe(422);
    expect(csv.text).toContain('href="#from"');
    const report = await cwA.agent.get(
      '/workspace/social-assistance/statistics/report.xlsx?report=2026-Q5&lang=en',
    );
    expect(report.status).toBe(422);
    expect(report.text).toContain('href="#report"');
    expect(report.text).toContain('A year (2026), a quarter (2026-Q1) or a month (2026-03)');
  });
});

describe('social-assistance statistics exports', () => {
  it('CSV holds the same figures (recipients and benefits, euros as numbers)', async () => {
    const res = await cwA.agent
      .get(`/workspace/social-assistance/statistics/export.csv?${Q1}&lang=en`)
      .expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual([
      'Table',
      'Month',
      'Status',
      'Territory',
      'Benefit',
      'Households',
      'Persons',
      'Scheduled (EUR)',
      'Paid (EUR)',
    ]);
    const find = (...k: string[]) => rows.find((r) => k.every((v, i) => r[i] === v));
    expect(find('Households and persons', '2026-02', 'All', 'All')?.slice(5, 7)).toEqual([
      '2',
      '5',
    ]);
    expect(find('Households and persons', '2026-01', 'Needy', 'Tukums')?.slice(5, 7)).toEqual([
      '1',
      '2',
    ]);
    expect(find('Benefits', '2026-02', 'All', 'All', 'Housing benefit')?.slice(5)).toEqual([
      '2',
      '5',
      '130',
      '130',
    ]);
    expect(find('Benefits', '2026-03', 'Low-income', 'All', 'Housing benefit')?.slice(5)).toEqual([
      '1',
      '3',
      '80',
      '0',
    ]);
    expect(rows.some((r) => r.includes('Ogre'))).toBe(false);
  });

  it('XLSX holds the same figures, amounts as euro cells', async () => {
    const res = await binary(
      cwA.agent.get(`/workspace/social-assistance/statistics/export.xlsx?${Q1}&lang=en`),
    ).expect(200);
    const [recipients, benefits] = await sheetRows(res);
    const find = (rows: ExcelJS.CellValue[][], ...k: string[]) =>
      rows.find((r) => k.every((v, i) => r[i] === v));
    expect(find(recipients, '2026-03', 'Low-income', 'Irlava')?.slice(4, 6)).toEqual([1, 3]);
    expect(find(benefits, '2026-01', 'All', 'All', 'GMI benefit')?.slice(4, 8)).toEqual([
      2, 3, 130, 130,
    ]);
    expect(find(benefits, '2026-03', 'All', 'All', 'GMI benefit')?.slice(4, 8)).toEqual([
      1, 2, 100, 0,
    ]);
  });

  it('the ministry report: status holders, new grants, benefit recipients and money for a quarter and a month', async () => {
    const res = await binary(
      cwA.agent.get('/workspace/social-assistance/statistics/report.xlsx?report=2026-Q1&lang=lv'),
    ).expect(200);
    const [sheet] = await sheetRows(res);
    expect(String(sheet[0][0])).toContain('Pārskats par sociālās palīdzības sniegšanu pašvaldībā');
    const header = sheet.findIndex((r) => r[0] === 'Nr.');
    const values = sheet.slice(header + 1).map((r) => r[3]);
    // needy: households, persons, granted households, granted persons; low-income likewise;
    // GMI: households, persons, paid, scheduled; housing likewise.
    expect(values).toEqual([2, 3, 2, 3, 1, 3, 1, 3, 2, 3, 230, 330, 2, 5, 180, 260]);
    const month = await cwA.agent
      .get('/workspace/social-assistance/statistics/report.csv?report=2026-03&lang=en')
      .expect(200);
    const rows = parseCsv(month.text);
    expect(rows[0]).toEqual(['No.', 'Indicator', 'Unit', 'Value']);
    expect(rows.slice(1).map((r) => r[3])).toEqual([
      '1',
      '2',
      '0',
      '0',
      '1',
      '3',
      '0',
      '0',
      '1',
      '2',
      '0',
      '100',
      '2',
      '5',
      '0',
      '80',
    ]);
    const other = await binary(
      mB.agent.get('/workspace/social-assistance/statistics/report.xlsx?report=2026&lang=en'),
    ).expect(200);
    const [b] = await sheetRows(other);
    const bh = b.findIndex((r) => r[0] === 'No.');
    expect(b.slice(bh + 1).map((r) => r[3])).toEqual([
      1, 4, 1, 4, 0, 0, 0, 0, 1, 4, 999.99, 999.99, 0, 0, 0, 0,
    ]);
  });
});
