import { calculate } from '../../../src/modules/social-assistance/calculation/calculate';
import { resolveParameters } from '../../../src/modules/social-assistance/calculation/resolve';
import {
  emptyApplicationData,
  INCOME_TYPE_CODES,
  type ApplicationData,
  type HouseholdMember,
} from '../../../src/modules/social-assistance/application/application.types';
import { INCOME_TYPES } from '../../../src/modules/social-assistance/calculation/types';
import {
  CALCULATOR_INCOME_TYPE,
  calculationInputOf,
} from '../../../src/modules/social-assistance/process/application-input';
import { DEFAULT_ROWS } from './support';

const member = (
  code: string,
  birthDate: string,
  m: Partial<HouseholdMember> = {},
): HouseholdMember => ({
  givenName: 'X',
  familyName: 'Y',
  personalCode: code,
  birthDate,
  relation: 'other',
  pensioner: false,
  disability: false,
  fullTimeEducation: false,
  workingAge: false,
  ...m,
});

/** DOMAIN.md's 2026 figures as in worked-examples.test.ts, entered the way the application form stores them. */
const family: ApplicationData = {
  ...emptyApplicationData(),
  members: [
    member('150385-12346', '1985-03-15', { relation: 'applicant', workingAge: true }),
    member('220790-14568', '1990-07-22', { relation: 'spouse', workingAge: true }),
    member('010120-20000', '2020-01-01', { relation: 'child' }),
  ],
  // 200 EUR a month of wages over the 3 months before the application.
  regularIncomes: [
    {
      member: '150385-12346',
      type: 'wages',
      months: { '2025-11': 200_00, '2025-12': 200_00, '2026-01': 200_00 },
    },
    // Not counted (family state benefit): shown, not added.
    {
      member: '220790-14568',
      type: 'family-state-benefit',
      months: { '2025-11': 25_00, '2025-12': 25_00, '2026-01': 25_00 },
    },
  ],
  benefits: ['gmi', 'needy-status'],
};

describe('the application as the calculator input', () => {
  it('2 adults + 1 child in 2026 with 200 EUR wages: GMI threshold 187 + 131 × 2 = 449 EUR, benefit 249 EUR, needy', () => {
    const input = calculationInputOf(family, '2026-02-10');
    expect(input.members.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    expect(input.incomes).toEqual([
      { memberId: 'm1', type: 'wage', period: 'regular', amountCents: 600_00 },
      { memberId: 'm2', type: 'family-state-benefit', period: 'regular', amountCents: 75_00 },
    ]);
    const r = calculate(input, resolveParameters(DEFAULT_ROWS, '2026-02-10'));
    expect(r.monthlyIncomeCents).toBe(200_00);
    expect(r.lines.find((l) => l.key === 'threshold.gmi')!.amountCents).toBe(449_00);
    expect(r.status).toBe('needy');
    expect(r.gmiBenefitCents).toBe(249_00);
    expect(r.gmiPeriodMonths).toBe(3);
  });

  it('counts savings with bank closing balances, vehicles as cars and property besides one dwelling', () => {
    const input = calculationInputOf(
      {
        ...family,
        savings: [{ member: '150385-12346', kind: 'cash', amountCents: 100_00 }],
        bankAccounts: [{ member: '150385-12346', bank: 'B', openingCents: 0, closingCents: 50_00 }],
        vehicles: [{ member: '150385-12346', registrationNumber: 'AB1234', make: 'VW' }],
        properties: [
          { member: '150385-12346', kind: 'dwelling', cadastreNumber: '', description: '' },
          { member: '150385-12346', kind: 'land', cadastreNumber: '', description: '' },
        ],
        housingCosts: [{ kind: 'heating', amountCents: 85_20, payee: 'Siltums', reference: 'R1' }],
      },
      '2026-02-10',
    );
    expect(input.assets).toEqual({ savingsCents: 150_00, cars: 1, otherRealEstate: 1 });
    expect(input.housingCosts).toEqual([{ kind: 'heating', amountCents: 85_20 }]);
  });

  it('maps every income kind the form offers to a kind the calculator knows', () => {
    for (const code of INCOME_TYPE_CODES)
      expect(INCOME_TYPES).toContain(
        CALCULATOR_INCOME_TYPE[code as keyof typeof CALCULATOR_INCOME_TYPE],
      );
  });
});
