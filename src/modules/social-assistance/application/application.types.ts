import type { HousingCostKind as CalculatorCostKind } from '../calculation/types';

/**
 * What a social assistance application declares (SPSPL; MK 809/2020 p. 2.4): the household, its
 * incomes of the last 3 full months and irregular incomes of the last 12, bank balances, savings,
 * property, vehicles, housing costs with bills, the benefits asked for. Codes only: labels are in
 * the locales (social-assistance-application:<list>.<code>), amounts are integer euro cents.
 */

/** The form's steps, in order; each is saved as a draft on its own. */
export const APPLICATION_STEPS = [
  'household',
  'incomes',
  'assets',
  'housing',
  'benefits',
  'review',
] as const;
export type ApplicationStep = (typeof APPLICATION_STEPS)[number];
export const isApplicationStep = (v: unknown): v is ApplicationStep =>
  typeof v === 'string' && (APPLICATION_STEPS as readonly string[]).includes(v);

export type ApplicationStatus = 'draft' | 'submitted';
export type ApplicationChannel = 'online' | 'counter';

export const RELATIONS = [
  'applicant',
  'spouse',
  'partner',
  'child',
  'parent',
  'sibling',
  'grandchild',
  'grandparent',
  'other',
] as const;
export type Relation = (typeof RELATIONS)[number];

/** The member flags the means test and the benefit periods look at (K coefficient, working age, co-operation duties). */
export const MEMBER_FLAGS = ['pensioner', 'disability', 'fullTimeEducation', 'workingAge'] as const;
export type MemberFlag = (typeof MEMBER_FLAGS)[number];

export interface HouseholdMember {
  givenName: string;
  familyName: string;
  /** Canonical personal code (DDMMYY-NNNNN); the reference every other list uses for the member. */
  personalCode: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  relation: Relation;
  pensioner: boolean;
  disability: boolean;
  fullTimeEducation: boolean;
  workingAge: boolean;
}

/**
 * Kinds of income. `counted: false` are the kinds the rules leave out of household income
 * (DOMAIN.md "Means assessment", quoting MK 809 and municipal pages): they are still declared so
 * that the caseworker sees them and the registers' answers can be compared. Whether and how much a
 * kind counts is the calculator's rule (e.g. a child's earnings up to the minimum wage); this flag
 * only groups the choices on the form.
 */
export const INCOME_TYPES = [
  { code: 'wages', counted: true },
  { code: 'self-employment', counted: true },
  { code: 'old-age-pension', counted: true },
  { code: 'disability-pension', counted: true },
  { code: 'survivor-pension', counted: true },
  { code: 'unemployment-benefit', counted: true },
  { code: 'sickness-benefit', counted: true },
  { code: 'parental-benefit', counted: true },
  { code: 'maintenance', counted: true },
  { code: 'rental-income', counted: true },
  { code: 'agricultural-payments', counted: true },
  { code: 'other-income', counted: true },
  { code: 'family-state-benefit', counted: false },
  { code: 'disability-care-allowance', counted: false },
  { code: 'assistant-allowance', counted: false },
  { code: 'transport-allowance', counted: false },
  { code: 'birth-allowance', counted: false },
  { code: 'death-allowance', counted: false },
  { code: 'student-loan', counted: false },
  { code: 'stipend', counted: false },
  { code: 'child-earnings', counted: false },
  { code: 'employment-support', counted: false },
  { code: 'crime-victim-compensation', counted: false },
  { code: 'tax-refund', counted: false },
  { code: 'targeted-charity', counted: false },
  { code: 'municipal-assistance', counted: false },
] as const;
export type IncomeType = (typeof INCOME_TYPES)[number]['code'];
export const INCOME_TYPE_CODES: readonly string[] = INCOME_TYPES.map((t) => t.code);

/** Irregular income is declared over the last 12 months (MK 809 p. 2.4): sale of property among them. */
export const IRREGULAR_INCOME_TYPES = [
  'property-sale',
  'inheritance',
  'gift',
  'lottery-winnings',
  'insurance-payout',
  'one-off-benefit',
  'other-irregular',
] as const;
export type IrregularIncomeType = (typeof IRREGULAR_INCOME_TYPES)[number];

/** Regular income of one member of one kind, per month of the 3 full months before the application (YYYY-MM → cents). */
export interface RegularIncome {
  member: string;
  type: IncomeType;
  months: Record<string, number>;
}

export interface IrregularIncome {
  member: string;
  type: IrregularIncomeType;
  amountCents: number;
  /** YYYY-MM within the last 12 months. */
  receivedIn: string;
  description: string;
}

/** Bank statements for 3 months with opening and closing balance (MK 809 p. 2.4). */
export interface BankAccount {
  member: string;
  bank: string;
  openingCents: number;
  closingCents: number;
}

export const SAVINGS_KINDS = [
  'deposit',
  'cash',
  'securities',
  'pension-3rd-pillar',
  'other',
] as const;
export interface Savings {
  member: string;
  kind: (typeof SAVINGS_KINDS)[number];
  amountCents: number;
}

export const PROPERTY_KINDS = ['dwelling', 'land', 'building', 'share', 'other'] as const;
export interface Property {
  member: string;
  kind: (typeof PROPERTY_KINDS)[number];
  /** Cadastre number (11 or 14 digits) when the property is in Latvia. */
  cadastreNumber: string;
  description: string;
}

export interface Vehicle {
  member: string;
  registrationNumber: string;
  make: string;
}

/**
 * Housing costs that count (SPSPL 35(3); municipal pages add land lease, property tax, gas
 * cylinders, solid fuel): the calculator's kinds (calculation/types.ts) the form offers, so a
 * declared cost goes to the calculator as it is.
 */
export const HOUSING_COST_KINDS = [
  'rent',
  'management',
  'heating',
  'hot-water',
  'electricity',
  'water',
  'sewage',
  'gas',
  'waste',
  'telecom',
  'water-meters',
  'land-lease',
  'property-tax',
  'gas-cylinders',
  'solid-fuel',
] as const satisfies readonly CalculatorCostKind[];
export type HousingCostKind = (typeof HOUSING_COST_KINDS)[number];

/**
 * One monthly housing cost; the provider (payee), its IBAN and the bill reference let the housing
 * benefit be paid to the provider (DOMAIN.md: payee per line, bill reference). `iban` is absent in
 * applications saved before it was asked.
 */
export interface HousingCost {
  kind: HousingCostKind;
  amountCents: number;
  payee: string;
  iban?: string;
  reference: string;
}

/** Who is paid the housing benefit: the applicant, or the provider of one declared cost (by its kind, unique per application). */
export type HousingPaidTo = 'applicant' | HousingCostKind;

export const BENEFITS = ['gmi', 'housing-benefit', 'needy-status', 'low-income-status'] as const;
export type Benefit = (typeof BENEFITS)[number];

/** Everything the steps declare; a draft holds any part of it. */
export interface ApplicationData {
  members: HouseholdMember[];
  regularIncomes: RegularIncome[];
  irregularIncomes: IrregularIncome[];
  bankAccounts: BankAccount[];
  savings: Savings[];
  properties: Property[];
  vehicles: Vehicle[];
  housingCosts: HousingCost[];
  /** Absent in applications saved before the choice was offered: the applicant. */
  housingPaidTo?: HousingPaidTo;
  benefits: Benefit[];
  /** IBAN for payments to the applicant (optional: housing benefit may go to the providers). */
  paymentAccount: string;
  contactEmail: string;
}

export const emptyApplicationData = (): ApplicationData => ({
  members: [],
  regularIncomes: [],
  irregularIncomes: [],
  bankAccounts: [],
  savings: [],
  properties: [],
  vehicles: [],
  housingCosts: [],
  housingPaidTo: 'applicant',
  benefits: [],
  paymentAccount: '',
  contactEmail: '',
});

/** Bills: at most this many files per application, each at most this size. */
export const BILLS_MAX_FILES = 10;
export const BILL_MAX_BYTES = 5 * 1024 * 1024;
export const BILL_MIME_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
/** Rows a form step accepts per list (a household of more is registered in more than one go at the counter). */
export const MAX_ROWS = 12;
