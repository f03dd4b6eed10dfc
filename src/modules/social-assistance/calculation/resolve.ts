import { DomainError, ErrorCode } from '../../../platform/errors/domain-error';
import { SA_KEYS } from '../social-assistance.parameters';
import { decimalToBp, decimalToCents, isRoundingRule, parseDecimal } from './exact';
import {
  HOUSEHOLD_TYPES,
  HOUSING_COST_KINDS,
  K_CLASSES,
  type CalculationParameters,
  type Figure,
  type FigureSource,
  type ListFigure,
  type RoundingFigure,
} from './types';

/** A parameter version as stored (the fields the rules need). */
export interface ParameterRow {
  key: string;
  value: string;
  items: readonly { code: string }[] | null;
  municipalityId: string | null;
  validFrom: string;
  validTo: string | null;
  note: string;
}

/** Figures a what-if request may give instead of the parameters in force (amounts in cents, K as a decimal). */
export interface ExplicitRules {
  gmiFirstCents?: number;
  gmiOtherCents?: number;
  needyFirstCents?: number;
  needyOtherCents?: number;
  lowIncomeFirstCents?: number;
  lowIncomeOtherCents?: number;
  lowIncomeCapFirstCents?: number;
  lowIncomeCapOtherCents?: number;
  /** One coefficient for every household class, e.g. "1.7". */
  k?: string;
}

const isUnverified = (note: string): boolean => /unverified/i.test(note);

const sourceOf = (p: ParameterRow): FigureSource => ({
  parameterKey: p.key,
  validFrom: p.validFrom,
  note: p.note,
  unverified: isUnverified(p.note),
  given: false,
});

const given = (key: string, value: number): Figure => ({
  value,
  source: {
    parameterKey: key,
    validFrom: null,
    note: 'given in the request',
    unverified: false,
    given: true,
  },
});

const fig = (p: ParameterRow, read: (v: string) => number): Figure => ({
  value: read(p.value),
  source: sourceOf(p),
});

/**
 * The figures in force on `on` from a municipality's parameter rows (its own version of a key
 * first, else the national one, as ParametersService.effective chooses), or the request's
 * explicit values. A required key not in force is a field error on the date.
 */
export function resolveParameters(
  all: readonly ParameterRow[],
  on: string,
  e: ExplicitRules = {},
): CalculationParameters {
  const rows = all.filter((r) => r.validFrom <= on && (r.validTo === null || r.validTo >= on));
  const pick = (key: string): ParameterRow | undefined =>
    rows
      .filter((r) => r.key === key)
      .sort(
        (a, b) =>
          Number(a.municipalityId === null) - Number(b.municipalityId === null) ||
          b.validFrom.localeCompare(a.validFrom),
      )[0];
  const need = (key: string): ParameterRow => {
    const p = pick(key);
    if (!p)
      throw DomainError.validation([
        {
          field: 'asOf',
          message: 'social-assistance:validation.noParameter',
          params: { key, date: on },
        },
      ]);
    return p;
  };
  const money = (key: string, over?: number): Figure =>
    over !== undefined ? given(key, over) : fig(need(key), decimalToCents);
  const coefficient = (key: string, over?: string): Figure =>
    over !== undefined ? given(key, decimalToBp(over)) : fig(need(key), decimalToBp);
  const count = (key: string): Figure => fig(need(key), (v) => Number(parseDecimal(v, 0)));
  const list = (key: string): ListFigure => {
    const p = need(key);
    return { codes: (p.items ?? []).map((i) => i.code), source: sourceOf(p) };
  };
  const rounding = (key: string): RoundingFigure => {
    const p = need(key);
    const rule = p.items?.[0]?.code ?? '';
    if (!isRoundingRule(rule))
      throw new DomainError(
        ErrorCode.Misconfigured,
        `parameter ${key} names no known rounding rule`,
      );
    return { rule, source: sourceOf(p) };
  };
  const optionalMoney = (key: string, over?: number): Figure | null =>
    over !== undefined ? given(key, over) : pick(key) ? money(key) : null;

  return {
    gmiFirst: money(SA_KEYS.gmiFirst, e.gmiFirstCents),
    gmiOther: money(SA_KEYS.gmiOther, e.gmiOtherCents),
    needyFirst: money(SA_KEYS.needyFirst, e.needyFirstCents),
    needyOther: money(SA_KEYS.needyOther, e.needyOtherCents),
    lowIncome: Object.fromEntries(
      HOUSEHOLD_TYPES.map((t) => [
        t,
        {
          first: money(SA_KEYS.lowIncome(t, 'first'), e.lowIncomeFirstCents),
          other: money(SA_KEYS.lowIncome(t, 'other'), e.lowIncomeOtherCents),
        },
      ]),
    ) as CalculationParameters['lowIncome'],
    lowIncomeCapFirst: optionalMoney(SA_KEYS.capFirst, e.lowIncomeCapFirstCents),
    lowIncomeCapOther: optionalMoney(SA_KEYS.capOther, e.lowIncomeCapOtherCents),
    k: Object.fromEntries(
      K_CLASSES.map((c) => [c, coefficient(SA_KEYS.k(c), e.k)]),
    ) as CalculationParameters['k'],
    youthEducationAge: count(SA_KEYS.youthEducationAge),
    countedCostKinds: list(SA_KEYS.countedCosts),
    norms: Object.fromEntries(
      HOUSING_COST_KINDS.flatMap((k) => {
        const first = pick(SA_KEYS.norm(k, 'first'));
        const other = pick(SA_KEYS.norm(k, 'other'));
        return first && other
          ? [[k, { first: fig(first, decimalToCents), other: fig(other, decimalToCents) }]]
          : [];
      }),
    ),
    excludedIncomeTypes: list(SA_KEYS.excludedIncome),
    childEarningsExempt: money(SA_KEYS.childEarningsExempt),
    regularMonths: count(SA_KEYS.regularMonths),
    irregularMonths: count(SA_KEYS.irregularMonths),
    savingsLimitBp: coefficient(SA_KEYS.savingsLimit),
    maxCars: count(SA_KEYS.maxCars),
    maxCarsWithChildren: count(SA_KEYS.maxCarsWithChildren),
    maxOtherRealEstate: count(SA_KEYS.maxOtherRealEstate),
    gmiPeriodMonths: count(SA_KEYS.gmiPeriod),
    gmiPeriodMonthsNoWorkingAge: count(SA_KEYS.gmiPeriodNoWorkingAge),
    rounding: {
      income: rounding(SA_KEYS.rounding('income')),
      gmiBenefit: rounding(SA_KEYS.rounding('gmi-benefit')),
      housingBenefit: rounding(SA_KEYS.rounding('housing-benefit')),
    },
  };
}
