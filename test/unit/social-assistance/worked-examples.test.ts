import { DEFAULT_ROWS, NO_ASSETS, adult, child, lineOf, pensioner, run, wage } from './support';

/**
 * Published worked examples, each with its source, run through the calculation with the
 * parameters the module ships for the date. Where no published example was found (housing
 * benefit with numbers, 2024–2026 GMI), DOMAIN.md's figures are used with the arithmetic written out.
 */
describe('GMI benefit: Kuldīga social service worked examples (2021 thresholds 109 / 76)', () => {
  // https://socialais.kuldiga.lv/sociala-palidziba/pabalsts-garanteta-minimala-ienakuma-gmilimena-nodrosinasanai/
  const family = [
    adult('father'),
    adult('mother', '1987-02-02'),
    child('c1'),
    child('c2', '2018-09-09'),
  ];

  it('example 1: two adults without income and two children get 109 + 76 × 3 = 337 EUR', () => {
    const r = run({ asOf: '2021-03-01', members: family });
    expect(lineOf(r, 'threshold.gmi').amountCents).toBe(337_00);
    expect(r.status).toBe('needy');
    expect(r.gmiBenefitCents).toBe(337_00);
  });

  it('example 2: the father earns 300 EUR a month after tax: 337 − 300 = 37 EUR', () => {
    const r = run({ asOf: '2021-03-01', members: family, incomes: [wage('father', 300_00)] });
    expect(r.monthlyIncomeCents).toBe(300_00);
    expect(r.gmiBenefitCents).toBe(37_00);
  });

  it('example 3: five persons with 500 + 200 EUR income: 109 + 76 × 4 = 413 < 700, no GMI benefit', () => {
    const members = [...family, pensioner('grandmother')];
    const r = run({
      asOf: '2021-03-01',
      members,
      incomes: [
        wage('father', 500_00),
        { memberId: 'grandmother', type: 'pension', period: 'regular', amountCents: 600_00 },
      ],
    });
    expect(lineOf(r, 'threshold.gmi').amountCents).toBe(413_00);
    expect(r.monthlyIncomeCents).toBe(700_00);
    expect(r.gmiBenefitCents).toBe(0);
  });
});

describe('DOMAIN.md figures (no published worked example found for 2026)', () => {
  it('2 adults + 1 child in 2026: GMI threshold 187 + 131 × 2 = 449 EUR; with 200 EUR income the benefit is 249 EUR', () => {
    const r = run({
      asOf: '2026-02-10',
      members: [adult('a'), adult('b'), child('c')],
      incomes: [wage('a', 200_00)],
    });
    expect(lineOf(r, 'threshold.gmi').amountCents).toBe(449_00);
    // needy threshold 425 + 298 × 2 = 1021 ≥ 200 → needy
    expect(lineOf(r, 'threshold.needy').amountCents).toBe(1021_00);
    expect(r.status).toBe('needy');
    expect(r.gmiBenefitCents).toBe(249_00);
    expect(r.gmiPeriodMonths).toBe(3);
  });

  it('the 2023-07-01 further-person GMI of 87.50 EUR stays unrounded: 125 + 87.50 = 212.50 EUR for two', () => {
    const r = run({ asOf: '2023-08-01', members: [adult('a'), adult('b')] });
    expect(lineOf(r, 'threshold.gmi').amountCents).toBe(212_50);
    expect(r.gmiBenefitCents).toBe(212_50);
  });

  it('housing benefit, single pensioner, January 2026: 2.5 × 187 + 150 − 400 = 217.50 → 217 EUR (truncated)', () => {
    const r = run({
      asOf: '2026-01-20',
      members: [pensioner('p')],
      incomes: [{ memberId: 'p', type: 'pension', period: 'regular', amountCents: 1200_00 }],
      housingCosts: [
        { kind: 'heating', amountCents: 90_00 },
        { kind: 'electricity', amountCents: 30_00 },
        { kind: 'water', amountCents: 30_00 },
      ],
    });
    expect(r.kClass).toBe('single-pensioner');
    expect(lineOf(r, 'housing.k').value).toBe('2.5');
    expect(lineOf(r, 'cost.total').amountCents).toBe(150_00);
    // 2.5 × 187.00 = 467.50; 467.50 + 150.00 − 400.00 = 217.50; truncated to whole euro → 217
    expect(r.housingBenefitCents).toBe(217_00);
    // needy threshold for one: 425 ≥ 400 → needy; GMI 187 − 400 < 0 → 0; nobody of working age → 6 months
    expect(r.status).toBe('needy');
    expect(r.gmiBenefitCents).toBe(0);
    expect(r.gmiPeriodMonths).toBe(6);
  });

  it('the temporary 2026 coefficient ends: the same family gets K 1.7 in April and 1.3 in May (unverified dates)', () => {
    const members = [adult('a'), adult('b')];
    const costs = [{ kind: 'rent' as const, amountCents: 200_00 }];
    const april = run({
      asOf: '2026-04-30',
      members,
      housingCosts: costs,
      incomes: [wage('a', 700_00)],
    });
    const may = run({
      asOf: '2026-05-01',
      members,
      housingCosts: costs,
      incomes: [wage('a', 700_00)],
    });
    // GMI threshold 187 + 131 = 318; April: 1.7 × 318 = 540.60 + 200 − 700 = 40.60 → 40
    expect(april.housingBenefitCents).toBe(40_00);
    // May: 1.3 × 318 = 413.40 + 200 − 700 < 0 → 0
    expect(may.housingBenefitCents).toBe(0);
  });

  it('a family with children gets K 2 in January 2026 (DOMAIN.md, unverified): 2 × 449 + 300 − 1000 = 198 EUR', () => {
    const r = run({
      asOf: '2026-01-15',
      members: [adult('a'), adult('b'), child('c')],
      incomes: [wage('a', 1000_00)],
      housingCosts: [{ kind: 'rent', amountCents: 300_00 }],
    });
    expect(r.kClass).toBe('with-children');
    expect(r.housingBenefitCents).toBe(198_00);
    // income 1000 ≤ needy 1021 → needy, but 449 − 1000 < 0 → no GMI benefit
    expect(r.status).toBe('needy');
    expect(r.gmiBenefitCents).toBe(0);
  });

  it('shows income that does not count, and does not add it', () => {
    const r = run({
      asOf: '2026-03-01',
      members: [adult('a'), child('c')],
      incomes: [
        wage('a', 100_00),
        { memberId: 'a', type: 'family-state-benefit', period: 'regular', amountCents: 75_00 },
      ],
    });
    expect(r.monthlyIncomeCents).toBe(100_00);
    const excluded = r.lines.filter((l) => l.excluded);
    expect(excluded.map((l) => l.labelKey)).toEqual([
      'social-assistance:incomeType.family-state-benefit',
    ]);
    expect(excluded[0].amountCents).toBe(25_00);
  });

  it('averages irregular income over 12 months and regular over 3, exactly', () => {
    const r = run({
      asOf: '2026-03-01',
      members: [adult('a')],
      incomes: [
        { memberId: 'a', type: 'wage', period: 'regular', amountCents: 100_00 },
        { memberId: 'a', type: 'property-sale', period: 'irregular', amountCents: 100_00 },
      ],
    });
    // 100/3 + 100/12 = 33.333… + 8.333… = 41.666… → 41.67 (half up to the cent)
    expect(r.monthlyIncomeCents).toBe(41_67);
  });

  it('counts a child’s earnings only above the minimum wage (780 EUR in 2026, unverified)', () => {
    const r = run({
      asOf: '2026-03-01',
      members: [adult('a'), child('c', '2010-01-01')],
      incomes: [
        { memberId: 'c', type: 'child-earnings', period: 'regular', amountCents: 800_00 * 3 },
      ],
    });
    expect(r.monthlyIncomeCents).toBe(20_00);
  });

  it('refuses the status when savings exceed the needy threshold or there are too many cars (SPSPL 36(1))', () => {
    const members = [adult('a')];
    expect(
      run({ asOf: '2026-03-01', members, assets: { ...NO_ASSETS, savingsCents: 425_00 } }).status,
    ).toBe('needy');
    const rich = run({
      asOf: '2026-03-01',
      members,
      assets: { ...NO_ASSETS, savingsCents: 425_01 },
    });
    expect(rich.status).toBe('none');
    expect(rich.gmiBenefitCents).toBe(0);
    expect(rich.housingBenefitCents).toBe(0);
    expect(run({ asOf: '2026-03-01', members, assets: { ...NO_ASSETS, cars: 2 } }).status).toBe(
      'none',
    );
    const withChild = [adult('a'), child('c')];
    expect(
      run({ asOf: '2026-03-01', members: withChild, assets: { ...NO_ASSETS, cars: 2 } }).status,
    ).toBe('needy');
  });

  it('low-income status between the needy threshold and the municipal threshold; the national default is the needy threshold', () => {
    const members = [adult('a')];
    // 2026 needy threshold for one: 425. With the default rule table, 430 is no status.
    expect(run({ asOf: '2026-03-01', members, incomes: [wage('a', 430_00)] }).status).toBe('none');
    // Ogre 2026: 595 / 416 (DOMAIN.md) given explicitly: 430 ≤ 595 → low-income.
    const ogre = run(
      { asOf: '2026-03-01', members, incomes: [wage('a', 430_00)] },
      { lowIncomeFirstCents: 595_00, lowIncomeOtherCents: 416_00 },
    );
    expect(ogre.status).toBe('low-income');
    // Above the 80 % cap (680) the cap applies.
    const tooHigh = run(
      { asOf: '2026-03-01', members, incomes: [wage('a', 690_00)] },
      { lowIncomeFirstCents: 700_00, lowIncomeOtherCents: 500_00 },
    );
    expect(tooHigh.status).toBe('none');
    expect(lineOf(tooHigh, 'threshold.low-income').amountCents).toBe(680_00);
  });

  it('uses explicit thresholds and coefficients instead of the parameters (what-if), and says so', () => {
    const r = run(
      {
        asOf: '2026-03-01',
        members: [adult('a'), adult('b')],
        housingCosts: [{ kind: 'rent', amountCents: 100_00 }],
      },
      { gmiFirstCents: 200_00, gmiOtherCents: 140_00, k: '2.25' },
    );
    expect(lineOf(r, 'threshold.gmi').amountCents).toBe(340_00);
    // 2.25 × 340 = 765 + 100 − 0 = 865
    expect(r.housingBenefitCents).toBe(865_00);
    expect(lineOf(r, 'housing.k').sources[0].given).toBe(true);
  });

  it('caps costs by a norm when one is entered, and leaves out kinds that do not count', () => {
    const r = run(
      {
        asOf: '2026-03-01',
        members: [adult('a'), adult('b')],
        housingCosts: [
          { kind: 'electricity', amountCents: 80_00 },
          { kind: 'repair-fund', amountCents: 50_00 },
        ],
      },
      {},
      [
        ...DEFAULT_ROWS.filter(
          (row) => !row.key.startsWith('social-assistance.housing.norm.electricity'),
        ),
        {
          key: 'social-assistance.housing.norm.electricity.first',
          value: '30',
          items: null,
          municipalityId: 'm',
          validFrom: '2026-01-01',
          validTo: null,
          note: 'test municipality',
        },
        {
          key: 'social-assistance.housing.norm.electricity.other',
          value: '15',
          items: null,
          municipalityId: 'm',
          validFrom: '2026-01-01',
          validTo: null,
          note: 'test municipality',
        },
      ],
    );
    expect(lineOf(r, 'cost.electricity').amountCents).toBe(45_00);
    expect(lineOf(r, 'cost.repair-fund').excluded).toBe(true);
    expect(lineOf(r, 'cost.total').amountCents).toBe(45_00);
  });
});

describe('the example in docs/social-assistance.md', () => {
  it('gives 313 EUR housing benefit with K 1.7 given, 448 EUR with the 2026 children K', () => {
    const input = {
      asOf: '2026-02-10',
      members: [adult('a'), adult('b', '1987-07-01'), child('c')],
      incomes: [wage('a', 600_00)],
      assets: { ...NO_ASSETS, cars: 1 },
      housingCosts: [{ kind: 'rent' as const, amountCents: 150_00 }],
    };
    const given = run(input, { k: '1.7' });
    expect(lineOf(given, 'housing.k')).toMatchObject({
      amountCents: 763_30,
      formula: '1.7 × 449.00 = 763.30',
    });
    expect(lineOf(given, 'housing.benefit').formula).toBe(
      '763.30 + 150.00 − 600.00 = 313.30 → 313.00 (euro-down)',
    );
    expect(given.housingBenefitCents).toBe(313_00);
    expect(run(input).housingBenefitCents).toBe(448_00);
  });
});
