import {
  parseDate,
  parseStep,
  type StepContext,
} from '../../../src/modules/social-assistance/application/application.form';
import {
  eurosInput,
  parseEuros,
} from '../../../src/modules/social-assistance/application/application.money';
import {
  completenessErrors,
  incomeMonths,
  lastMonths,
} from '../../../src/modules/social-assistance/application/application.service';
import { emptyApplicationData } from '../../../src/modules/social-assistance/application/application.types';

describe('amounts typed in euros', () => {
  it.each([
    ['12,50', 'lv', 1250],
    ['12.50', 'lv', 1250],
    ['12,5', 'el', 1250],
    ['1 234,56', 'lv', 123456],
    ['1\u00a0234,56 €', 'lv', 123456],
    ['1.234,56', 'el', 123456],
    ['1,234.56', 'en', 123456],
    ['1.234', 'lv', 123400],
    ['1,234', 'en', 123400],
    ['0', 'en', 0],
    ['€ 1000,05', 'lv', 100005],
  ] as const)('%s (%s) is %d cents', (input, lang, cents) => {
    expect(parseEuros(input, lang)).toBe(cents);
  });

  it.each(['12,5x', '12,505', '-5', '', '1,2,3', '12..5', '1.23.4', 'abc', '10000000,01'])(
    'refuses %j',
    (input) => {
      expect(parseEuros(input, 'lv')).toBeNull();
    },
  );

  it('refuses a grouping it cannot tell from decimals: "1,234" in Latvian', () => {
    expect(parseEuros('1,234', 'lv')).toBeNull();
  });

  it('writes cents back as the language types them', () => {
    expect(eurosInput(123456, 'lv')).toBe('1234,56');
    expect(eurosInput(5, 'en')).toBe('0.05');
  });
});

describe('dates and months', () => {
  it('reads ISO and Latvian dates, refusing impossible ones', () => {
    expect(parseDate('2010-03-27')).toBe('2010-03-27');
    expect(parseDate('7.3.2010.')).toBe('2010-03-07');
    expect(parseDate('2010-02-30')).toBeNull();
    expect(parseDate('27/03/2010')).toBeNull();
  });

  it('declares regular income for the 3 full months before the application, irregular over 12', () => {
    expect(incomeMonths('2026-01-15')).toEqual(['2025-10', '2025-11', '2025-12']);
    expect(lastMonths('2026-12-01', 12)).toHaveLength(12);
    expect(lastMonths('2026-12-01', 12)[11]).toBe('2025-12');
  });
});

const ctx: StepContext = {
  lang: 'lv',
  applicantCode: '290165-13409',
  memberCodes: ['290165-13409'],
  incomeMonths: ['2026-09', '2026-10', '2026-11'],
  irregularMonths: lastMonths('2026-12-05', 12),
  today: '2026-12-05',
};

describe('a step', () => {
  it('skips wholly empty rows and names each bad field of a filled one', () => {
    const { patch, errors } = parseStep(
      'incomes',
      {
        'regularIncomes[0].member': '290165-13409',
        'regularIncomes[0].type': 'wages',
        'regularIncomes[0].m1': '100',
        'regularIncomes[1].member': '',
        'regularIncomes[3].type': 'pocket-money',
        'regularIncomes[3].m0': 'lots',
      },
      ctx,
    );
    expect(errors.map((e) => [e.field, e.message])).toEqual([
      ['regularIncomes[3].member', 'social-assistance-application:errors.memberRequired'],
      ['regularIncomes[3].type', 'social-assistance-application:errors.choice'],
      ['regularIncomes[3].m0', 'social-assistance-application:errors.amount'],
    ]);
    expect(patch.regularIncomes?.[0]).toEqual({
      member: '290165-13409',
      type: 'wages',
      months: { '2026-09': 0, '2026-10': 10000, '2026-11': 0 },
    });
  });

  it('keeps the applicant first with the signed-in code whatever is posted for it', () => {
    const { patch, errors } = parseStep(
      'household',
      {
        'members[0].givenName': 'Pēteris',
        'members[0].familyName': 'Kļaviņš',
        'members[0].personalCode': '010180-10000',
        'members[0].relation': 'child',
      },
      ctx,
    );
    expect(errors).toEqual([]);
    expect(patch.members).toEqual([
      expect.objectContaining({
        personalCode: '290165-13409',
        relation: 'applicant',
        birthDate: '1965-01-29',
      }),
    ]);
  });
});

describe("the resident's account and a provider's: one IBAN check, the payment lines'", () => {
  const P = 'payments:errors';
  const resident = (iban: string) =>
    parseStep('benefits', { benefits: 'gmi', paymentAccount: iban }, ctx);
  const provider = (iban: string) =>
    parseStep(
      'housing',
      {
        'housingCosts[0].kind': 'rent',
        'housingCosts[0].amount': '100',
        'housingCosts[0].iban': iban,
      },
      ctx,
    );

  it.each([
    ['LV81BANK0000435195001', `${P}.ibanCheckDigits`],
    ['LV80BANK000043519500', `${P}.ibanLength`],
    ['LV801234000043519500A', `${P}.ibanBankCode`],
    ['XX80BANK0000435195001', `${P}.ibanCountry`],
    ['LV80BANK000043519500!', `${P}.ibanCharacters`],
    // Check digits right (the old loose check took both), the country's format wrong.
    ['LV9512340000435195001', `${P}.ibanBankCode`],
    ['DE543704004405320130001', `${P}.ibanLength`],
  ])('refuses %s for either account with the same field error (%s)', (iban, message) => {
    expect(resident(iban).errors).toEqual([
      expect.objectContaining({ field: 'paymentAccount', message }),
    ]);
    expect(provider(iban).errors).toEqual([
      expect.objectContaining({ field: 'housingCosts[0].iban', message }),
    ]);
  });

  it('takes a valid IBAN typed in groups, stored in electronic form; an empty one is no error', () => {
    expect(resident('lv80 bank 0000 4351 9500 1')).toEqual({
      patch: expect.objectContaining({ paymentAccount: 'LV80BANK0000435195001' }),
      errors: [],
    });
    expect(provider('LV80 BANK 0000 4351 9500 1').patch.housingCosts?.[0].iban).toBe(
      'LV80BANK0000435195001',
    );
    expect(resident('').errors).toEqual([]);
  });
});

describe('a complete application', () => {
  it('needs every step, a benefit, the bills for the housing benefit and the declaration of truth', () => {
    const data = { ...emptyApplicationData(), benefits: ['housing-benefit' as const] };
    const fields = (stepsDone: string[], truthDeclared: boolean, bills: number) =>
      completenessErrors(
        { data, truthDeclared, applicantCode: 'x', stepsDone: stepsDone as never },
        bills,
      ).map((e) => e.field);
    expect(fields([], false, 0)).toEqual([
      'step.household',
      'step.incomes',
      'step.assets',
      'step.housing',
      'step.benefits',
      'members[0].givenName',
      'housingCosts[0].kind',
      'bills',
      'truthDeclared',
    ]);
  });
});
