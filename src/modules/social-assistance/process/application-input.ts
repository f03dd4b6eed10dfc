import type {
  ApplicationData,
  IncomeType as ApplicationIncomeType,
  IrregularIncomeType,
} from '../application/application.types';
import type { CalculationInput, IncomeLine, IncomeType, MemberRole } from '../calculation/types';

/**
 * The calculator's income kind for each kind the application form offers. The form names
 * pensions and rental income more finely (the caseworker and the registers need the detail); the
 * means test counts them alike. A `Record` over the form's codes: a new code on the form does not
 * compile until it has a kind here.
 */
export const CALCULATOR_INCOME_TYPE: Record<ApplicationIncomeType, IncomeType> = {
  wages: 'wage',
  'self-employment': 'self-employment',
  'old-age-pension': 'pension',
  'disability-pension': 'pension',
  'survivor-pension': 'pension',
  'unemployment-benefit': 'unemployment-benefit',
  'sickness-benefit': 'sickness-benefit',
  'parental-benefit': 'parental-benefit',
  maintenance: 'maintenance',
  'rental-income': 'rent-income',
  'agricultural-payments': 'other',
  'other-income': 'other',
  'family-state-benefit': 'family-state-benefit',
  'disability-care-allowance': 'disability-care-allowance',
  'assistant-allowance': 'assistant-allowance',
  'transport-allowance': 'transport-allowance',
  'birth-allowance': 'birth-allowance',
  'death-allowance': 'death-allowance',
  'student-loan': 'student-loan',
  stipend: 'stipend',
  'child-earnings': 'child-earnings',
  'employment-support': 'active-employment-support',
  'crime-victim-compensation': 'crime-victim-compensation',
  'tax-refund': 'tax-refund',
  'targeted-charity': 'targeted-charity',
  'municipal-assistance': 'municipal-assistance',
};

/** Irregular income (12 months): a sale of property is its own kind, the rest count as other income. */
export const CALCULATOR_IRREGULAR_TYPE: Record<IrregularIncomeType, IncomeType> = {
  'property-sale': 'property-sale',
  inheritance: 'other',
  gift: 'other',
  'lottery-winnings': 'other',
  'insurance-payout': 'other',
  'one-off-benefit': 'other',
  'other-irregular': 'other',
};

/**
 * The application as the calculator's input, with the rules of `asOf` (the application date):
 * - members by their place in the household (`m1`, `m2`, …: the calculator needs no personal
 *   code), with the flags the applicant stated (pensioner, disability, full-time education,
 *   working age); child and youth follow from the birth date;
 * - regular income as the total over the declared months per member and kind, irregular income
 *   (12 months) as its amount (MK 809 p. 2.4);
 * - savings = savings + the closing balances of the declared bank accounts; cars = vehicles
 *   declared; other real estate = properties besides one dwelling (the one the household lives in);
 * - housing costs per month as declared.
 */
export function calculationInputOf(data: ApplicationData, asOf: string): CalculationInput {
  const idOf = new Map(data.members.map((m, i) => [m.personalCode, `m${i + 1}`]));
  const members = data.members.map((m, i) => {
    const roles: MemberRole[] = [];
    if (m.pensioner) roles.push('pensioner');
    if (m.disability) roles.push('disability');
    if (m.fullTimeEducation) roles.push('education');
    if (m.workingAge) roles.push('working-age');
    return { id: `m${i + 1}`, birthDate: m.birthDate, roles };
  });
  const incomes: IncomeLine[] = [];
  const regular = new Map<string, IncomeLine>();
  for (const r of data.regularIncomes) {
    const memberId = idOf.get(r.member);
    if (!memberId) continue;
    const type = CALCULATOR_INCOME_TYPE[r.type];
    const amount = Object.values(r.months).reduce((s, c) => s + c, 0);
    const key = `${memberId}:${type}`;
    const line = regular.get(key);
    if (line) line.amountCents += amount;
    else {
      const l: IncomeLine = { memberId, type, period: 'regular', amountCents: amount };
      regular.set(key, l);
      incomes.push(l);
    }
  }
  for (const r of data.irregularIncomes) {
    const memberId = idOf.get(r.member);
    if (!memberId) continue;
    incomes.push({
      memberId,
      type: CALCULATOR_IRREGULAR_TYPE[r.type],
      period: 'irregular',
      amountCents: r.amountCents,
    });
  }
  const savingsCents =
    data.savings.reduce((s, x) => s + x.amountCents, 0) +
    data.bankAccounts.reduce((s, a) => s + Math.max(0, a.closingCents), 0);
  const dwellings = data.properties.filter((p) => p.kind === 'dwelling').length;
  const otherRealEstate = data.properties.length - Math.min(1, dwellings);
  return {
    asOf,
    members,
    incomes,
    assets: { savingsCents, cars: data.vehicles.length, otherRealEstate },
    housingCosts: data.housingCosts.map((c) => ({ kind: c.kind, amountCents: c.amountCents })),
  };
}
