import type { RoundingRule } from './exact';

/** What a member is, besides what the birth date says (child, youth): stated by the applicant or a register. */
export const MEMBER_ROLES = [
  'pensioner',
  'disability',
  'child',
  'education',
  'working-age',
] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export interface HouseholdMember {
  /** Any label unique in the household (e.g. "m1"); the calculator needs no name or personal code. */
  id: string;
  birthDate: string;
  roles: readonly MemberRole[];
}

/** Income kinds the declaration asks about; which of them count is a list parameter (effective-dated). */
export const INCOME_TYPES = [
  'wage',
  'self-employment',
  'pension',
  'unemployment-benefit',
  'sickness-benefit',
  'parental-benefit',
  'maintenance',
  'property-sale',
  'rent-income',
  'family-state-benefit',
  'disability-care-allowance',
  'assistant-allowance',
  'transport-allowance',
  'birth-allowance',
  'death-allowance',
  'student-loan',
  'stipend',
  'child-earnings',
  'active-employment-support',
  'crime-victim-compensation',
  'tax-refund',
  'targeted-charity',
  'municipal-assistance',
  'other',
] as const;
export type IncomeType = (typeof INCOME_TYPES)[number];

/** Regular income is declared for the last full months (3), irregular (incl. sale of property) for 12. */
export type IncomePeriod = 'regular' | 'irregular';

export interface IncomeLine {
  memberId: string;
  type: IncomeType;
  period: IncomePeriod;
  /** Net total received over the whole period (3 or 12 months), in cents. */
  amountCents: number;
}

/** Housing costs the household may declare; which count is a list parameter (SPSPL 35(3)). */
export const HOUSING_COST_KINDS = [
  'rent',
  'management',
  'heating',
  'hot-water',
  'electricity',
  'water',
  'gas',
  'sewage',
  'waste',
  'telecom',
  'water-meters',
  'land-lease',
  'property-tax',
  'gas-cylinders',
  'solid-fuel',
  'repair-fund',
  'other',
] as const;
export type HousingCostKind = (typeof HOUSING_COST_KINDS)[number];

export interface HousingCost {
  kind: HousingCostKind;
  /** Per month, in cents (the current or last month's bill; solid fuel as a monthly share). */
  amountCents: number;
}

export interface Assets {
  savingsCents: number;
  cars: number;
  /** Real estate other than the dwelling the household lives in. */
  otherRealEstate: number;
}

/** The means-test input: household, incomes, assets, housing costs, and the date whose rules apply. */
export interface CalculationInput {
  asOf: string;
  members: readonly HouseholdMember[];
  incomes: readonly IncomeLine[];
  assets: Assets;
  housingCosts: readonly HousingCost[];
}

/** Where a figure came from: an effective-dated parameter (key, version, note), or the request (what-if). */
export interface FigureSource {
  parameterKey: string;
  validFrom: string | null;
  note: string;
  unverified: boolean;
  /** Given explicitly in the request instead of the parameter in force. */
  given: boolean;
}

export interface Figure {
  /** Cents for amounts, basis points of a unit for coefficients, a plain number for counts. */
  value: number;
  source: FigureSource;
}

export interface ListFigure {
  codes: readonly string[];
  source: FigureSource;
}

export interface RoundingFigure {
  rule: RoundingRule;
  source: FigureSource;
}

/** The household type a municipality's low-income threshold is set for (a rule table). */
export const HOUSEHOLD_TYPES = ['general', 'pensioners-only', 'single-pensioner'] as const;
export type HouseholdType = (typeof HOUSEHOLD_TYPES)[number];

/** Housing-benefit coefficient classes (SPSPL 35(5)). */
export const K_CLASSES = ['single-pensioner', 'pensioners-only', 'with-children', 'other'] as const;
export type KClass = (typeof K_CLASSES)[number];

/** Every rule figure the calculation uses, already resolved for the date (parameters, or what-if values). */
export interface CalculationParameters {
  gmiFirst: Figure;
  gmiOther: Figure;
  needyFirst: Figure;
  needyOther: Figure;
  lowIncome: Record<HouseholdType, { first: Figure; other: Figure }>;
  lowIncomeCapFirst: Figure | null;
  lowIncomeCapOther: Figure | null;
  k: Record<KClass, Figure>;
  /** Age under which a youth in full-time education makes the household one "with children" for K. */
  youthEducationAge: Figure;
  countedCostKinds: ListFigure;
  /** MK 809 annex 3 norms per cost kind: first person + each other person; 0 = no norm entered. */
  norms: Partial<Record<HousingCostKind, { first: Figure; other: Figure }>>;
  excludedIncomeTypes: ListFigure;
  childEarningsExempt: Figure;
  regularMonths: Figure;
  irregularMonths: Figure;
  savingsLimitBp: Figure;
  maxCars: Figure;
  maxCarsWithChildren: Figure;
  maxOtherRealEstate: Figure;
  gmiPeriodMonths: Figure;
  gmiPeriodMonthsNoWorkingAge: Figure;
  rounding: { income: RoundingFigure; gmiBenefit: RoundingFigure; housingBenefit: RoundingFigure };
}

export type Status = 'needy' | 'low-income' | 'none';

/** One line of "how this was computed". */
export interface CalcLine {
  key: string;
  /** i18n key of the label (social-assistance namespace); the API gives the label in lv, en and el. */
  labelKey: string;
  labelParams?: Record<string, string | number>;
  amountCents: number | null;
  /** A non-money result (a status, a coefficient, a count), language-neutral. */
  value?: string;
  formula: string;
  legalReference: string;
  sources: FigureSource[];
  /** An income or cost line that does not count (shown, not added). */
  excluded?: boolean;
}

export interface CalculationResult {
  asOf: string;
  householdSize: number;
  householdType: HouseholdType;
  kClass: KClass;
  monthlyIncomeCents: number;
  assetsWithinLimits: boolean;
  status: Status;
  gmiBenefitCents: number;
  housingBenefitCents: number;
  /** Months GMI benefit is granted for (3, or 6 when nobody is of working age). */
  gmiPeriodMonths: number;
  lines: CalcLine[];
}
