import { ParametersService } from '../../../src/parameters/parameters.service';
import { startApp, type RunningApp } from '../../support/app';
import { signInStaff, type Session } from '../../support/session';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(120_000);

/**
 * The what-if calculator over HTTP on the real application (real PostgreSQL, the parameters the
 * module seeds at start-up): the breakdown, municipal thresholds, field errors in the user's
 * language, refusals by role and country, and the staff page.
 */
let h: RunningApp;
let A: string;
let B: string;
let G: string;
let cw: Session;
let cwB: Session;

const family2026 = {
  asOf: '2026-02-10',
  members: [
    { id: 'a', birthDate: '1985-03-10', roles: [] },
    { id: 'b', birthDate: '1987-07-01', roles: [] },
    { id: 'c', birthDate: '2016-06-01', roles: ['child'] },
  ],
  incomes: [{ memberId: 'a', type: 'wage', period: 'regular', amountCents: 1800_00 }],
  assets: { savingsCents: 0, cars: 1, otherRealEstate: 0 },
  housingCosts: [{ kind: 'rent', amountCents: 150_00 }],
};

const post = (s: Session, body: unknown, lang = 'en') =>
  s.agent
    // ?lang= picks the language (it is also remembered in a cookie, so every call names its own).
    .post(`/api/social-assistance/calculations?lang=${lang}`)
    .set('x-csrf-token', s.csrf)
    .set('accept', 'application/json')
    .send(body as object);

beforeAll(async () => {
  h = await startApp();
  A = (await createMunicipality(h.app)).id;
  B = (await createMunicipality(h.app)).id;
  G = (await createMunicipality(h.app, { country: 'GR' })).id;
  cw = await signInStaff(h.app, A, [{ role: 'caseworker', process: 'social-assistance' }]);
  cwB = await signInStaff(h.app, B, ['manager']);
});
afterAll(() => h?.close());

describe('social-assistance parameters (seeded with their history)', () => {
  it('has each version of K in force on its dates, the temporary 2026 one included', async () => {
    const params = h.app.get(ParametersService);
    const k = async (on: string) =>
      (await params.effective(A, 'social-assistance.housing.k.other', on)).value;
    expect(await k('2022-10-01')).toBe('3.0000');
    expect(await k('2024-06-01')).toBe('1.5000');
    expect(await k('2025-06-01')).toBe('1.3000');
    expect(await k('2026-04-30')).toBe('1.7000');
    expect(await k('2026-05-01')).toBe('1.3000');
    const gmi = await params.effective(A, 'social-assistance.gmi.other', '2023-07-01');
    expect(gmi.value).toBe('87.5000');
    expect(gmi.validTo).toBe('2023-12-31');
  });
});

describe('POST /api/social-assistance/calculations', () => {
  it('computes the 2026 breakdown line by line with labels in lv, en and el and legal references', async () => {
    const res = await post(cw, family2026).expect(200);
    // GMI threshold 187 + 131 × 2 = 449; income 600/month; needy threshold 425 + 298 × 2 = 1021 → needy; 449 − 600 < 0 → no GMI
    expect(res.body.status).toBe('needy');
    expect(res.body.gmiBenefitCents).toBe(0);
    // K 2 (children, 2026, unverified) × 449 = 898 + 150 − 600 = 448 → 448
    expect(res.body.kClass).toBe('with-children');
    expect(res.body.housingBenefitCents).toBe(448_00);
    const gmiLine = res.body.lines.find((l: { key: string }) => l.key === 'threshold.gmi');
    expect(gmiLine).toMatchObject({
      amountCents: 449_00,
      formula: '187.00 + 131.00 × 2 = 449.00',
      label: {
        lv: 'GMI sliekšņu summa mājsaimniecībai',
        en: 'GMI threshold of the household',
        el: 'Όριο ΕΕΕ του νοικοκυριού',
      },
    });
    expect(gmiLine.legalReference).toMatch(/SPSPL 33/);
    expect(
      gmiLine.sources.map((s: { parameterKey: string; validFrom: string }) => [
        s.parameterKey,
        s.validFrom,
      ]),
    ).toEqual([
      ['social-assistance.gmi.first', '2026-01-01'],
      ['social-assistance.gmi.other', '2026-01-01'],
    ]);
    expect(res.body.usesUnverified).toBe(true);
  });

  it('applies the municipality’s own low-income threshold (Tukums 2024: 411 / 288) only in that municipality', async () => {
    await h.app.get(ParametersService).define({
      country: 'LV',
      municipalityId: A,
      key: 'social-assistance.low-income.general.first',
      value: '411',
      unit: 'EUR/month',
      validFrom: '2024-01-01',
      note: 'Tukums 2024 (DOMAIN.md)',
    });
    await h.app.get(ParametersService).define({
      country: 'LV',
      municipalityId: A,
      key: 'social-assistance.low-income.general.other',
      value: '288',
      unit: 'EUR/month',
      validFrom: '2024-01-01',
      note: 'Tukums 2024 (DOMAIN.md)',
    });
    const single = {
      ...family2026,
      asOf: '2024-03-01',
      members: [family2026.members[0]],
      incomes: [{ memberId: 'a', type: 'wage', period: 'regular', amountCents: 400_00 * 3 }],
    };
    // 2024 needy threshold 343 < 400 ≤ 411 → low-income in A; B has the national default (the needy threshold).
    expect((await post(cw, single).expect(200)).body.status).toBe('low-income');
    expect((await post(cwB, single).expect(200)).body.status).toBe('none');
  });

  it('takes explicit thresholds and coefficients instead of the parameters (what-if)', async () => {
    const res = await post(cw, {
      ...family2026,
      rules: { gmiFirstCents: 300_00, gmiOtherCents: 200_00, k: '1.25' },
    }).expect(200);
    // 300 + 200 × 2 = 700 − 600 = 100 GMI; housing 1.25 × 700 = 875 + 150 − 600 = 425
    expect(res.body.gmiBenefitCents).toBe(100_00);
    expect(res.body.housingBenefitCents).toBe(425_00);
  });

  it('refuses bad input field by field in the user’s language, never a 5xx', async () => {
    const bad = {
      ...family2026,
      asOf: '2026-02-30',
      members: [{ id: 'a', birthDate: '1985-13-01', roles: ['king'] }],
      incomes: [{ memberId: 'a', type: 'lottery', period: 'regular', amountCents: -5 }],
    };
    const en = await post(cw, bad, 'en').expect(422);
    const fields = (en.body.fields ?? en.body.errors ?? []) as { field: string; message: string }[];
    const byField = Object.fromEntries(fields.map((f) => [f.field, f.message]));
    expect(Object.keys(byField).sort()).toEqual(
      ['incomes.0.amountCents', 'incomes.0.type', 'members.0.roles'].sort(),
    );
    expect(byField['incomes.0.type']).toBe('Choose an income type from the list.');
    const lv = await post(cw, bad, 'lv').expect(422);
    expect(JSON.stringify(lv.body)).toContain('Izvēlieties ienākumu veidu no saraksta.');
    // Dates that pass the pattern but do not exist, and a member that is not in the household.
    const second = await post(
      cw,
      { ...family2026, asOf: '2026-02-30', incomes: [{ ...family2026.incomes[0], memberId: 'x' }] },
      'en',
    ).expect(422);
    expect(JSON.stringify(second.body)).toContain('asOf');
    expect(JSON.stringify(second.body)).toContain('incomes.0.memberId');
    // A date before any rule is in force names the date field.
    const old = await post(cw, { ...family2026, asOf: '2019-01-01' }, 'en').expect(422);
    expect(JSON.stringify(old.body)).toContain(
      'No parameter social-assistance.gmi.first is in force on 2019-01-01',
    );
    for (const body of [
      [],
      'x',
      { asOf: 5 },
      { ...family2026, extra: 1 },
      { ...family2026, assets: null },
      { ...family2026, members: [null] },
    ])
      expect((await post(cw, body)).status).toBeLessThan(500);
    const raw = await cw.agent
      .post('/api/social-assistance/calculations')
      .set('x-csrf-token', cw.csrf)
      .set('content-type', 'application/json')
      .send('{"asOf":');
    expect(raw.status).toBeGreaterThanOrEqual(400);
    expect(raw.status).toBeLessThan(500);
  });

  it('refuses those without the social-assistance grant, and municipalities whose country has no such rules', async () => {
    const other = await signInStaff(h.app, A, [{ role: 'caseworker', process: 'reference' }]);
    expect((await post(other, family2026)).status).toBe(403);
    const greek = await signInStaff(h.app, G, ['manager']);
    expect((await post(greek, family2026)).status).toBe(404);
  });
});

describe('the staff calculator page', () => {
  it('shows the form, then the breakdown with the legal reference of each line', async () => {
    const page = await cw.agent.get('/workspace/social-assistance/calculator?lang=en').expect(200);
    expect(page.text).toContain('data-testid="sa-calculator"');
    expect(page.text).toContain('/workspace/social-assistance/calculator');
    const res = await cw.agent
      .post('/workspace/social-assistance/calculator?lang=en')
      .type('form')
      .send({
        _csrf: cw.csrf,
        asOf: '2026-02-10',
        'member-0-birthDate': '1985-03-10',
        'member-1-birthDate': '1987-07-01',
        'member-2-birthDate': '2016-06-01',
        'income-0-member': '1',
        'income-0-type': 'wage',
        'income-0-period': 'regular',
        'income-0-amount': '1800',
        'cost-rent': '150,00',
      })
      .expect(200);
    expect(res.text).toContain('data-testid="sa-lines"');
    expect(res.text).toContain('187.00 + 131.00 × 2 &#x3D; 449.00');
    expect(res.text).toContain('SPSPL 35. panta 5. daļa');
    expect(res.text).toContain('How this was computed');
    // 2 × 449 + 150 − 1800 / 3 = 448 (as the API computes it)
    expect(res.text).toMatch(/data-testid="sa-housing">€448\.00</);
  });

  it('puts a field error on the input in the user’s language and keeps what was typed', async () => {
    const res = await cw.agent
      .post('/workspace/social-assistance/calculator?lang=lv')
      .type('form')
      .send({
        _csrf: cw.csrf,
        asOf: '2026-02-10',
        'member-0-birthDate': '2030-01-01',
        'cost-rent': 'abc',
      })
      .expect(422);
    expect(res.text).toContain('Ievadiet summu eiro, piemēram, 12,50.');
    expect(res.text).toContain('value="abc"');
  });
});
