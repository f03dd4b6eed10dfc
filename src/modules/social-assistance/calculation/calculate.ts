import {
  add,
  cents,
  cmp,
  formatBp,
  formatCents,
  max,
  min,
  over,
  round,
  showCents,
  sub,
  sum,
  times,
  timesBp,
  ZERO,
  type Cents,
} from './exact';
import { householdTypeOf, kClassOf, memberFacts, type MemberFacts } from './household';
import type {
  CalcLine,
  CalculationInput,
  CalculationParameters,
  CalculationResult,
  Figure,
  FigureSource,
  HousingCostKind,
  Status,
} from './types';

/** Legal references of each step (article level; DOMAIN.md names the sources). */
export const LEGAL = {
  household: 'SPSPL 1. panta 8. punkts (mājsaimniecība); MK 809',
  income:
    'MK 809 (ienākumi: pēdējie 3 pilni mēneši, neregulārie 12 mēneši; 2.4. punkts – konta izraksti)',
  incomeExcluded: 'MK 809 (ienākumi, kurus neņem vērā), pašvaldības skaidrojums',
  thresholds: 'SPSPL 33. pants (minimālo ienākumu sliekšņi, koeficienti 1 un 0,7)',
  lowIncome:
    'SPSPL 33. pants; pašvaldības saistošie noteikumi (maznodrošinātas mājsaimniecības slieksnis)',
  assets: 'SPSPL 36. panta 1. daļa (uzkrājumi, īpašums, transportlīdzekļi)',
  status: 'SPSPL 33. pants; MK 809 (trūcīgas / maznodrošinātas mājsaimniecības atbilstība)',
  gmi: 'SPSPL 33. pants; MK 809 (GMI pabalsts = (GMI1 + GMI2 × N) − I)',
  gmiPeriod: 'MK 809 (GMI pabalsta piešķiršanas periods: 3 mēneši, 6 ja nav darbspējīgu personu)',
  housingCosts: 'SPSPL 35. panta 3. daļa (ņemamie izdevumi); MK 809 3. pielikums (normatīvi)',
  k: 'SPSPL 35. panta 5. daļa (koeficients mājokļa pabalstam)',
  housing: 'SPSPL 35. pants; MK 809 (mājokļa pabalsts = K × (GMI1 + GMI2 × N) + izdevumi − I)',
} as const;

const line = (l: CalcLine): CalcLine => l;
const eur = (c: Cents): string => showCents(c);
const src = (...figures: (Figure | null | undefined)[]): FigureSource[] =>
  figures.flatMap((f) => (f ? [f.source] : []));

/** first + other × N, exact. */
const threshold = (first: Figure, other: Figure, n: number): Cents =>
  add(cents(first.value), times(cents(other.value), BigInt(n)));

/**
 * The means test and the two benefits: pure, exact (integer cents, coefficients in basis points),
 * every step a line with its formula and legal reference. `p` holds the figures in force on the
 * date (or the what-if values the request gave); nothing here reads a clock or a database.
 */
export function calculate(input: CalculationInput, p: CalculationParameters): CalculationResult {
  const lines: CalcLine[] = [];
  const facts = memberFacts(input.members, input.asOf, p);
  const size = facts.length;
  const n = size - 1;
  const householdType = householdTypeOf(facts);
  const kClass = kClassOf(facts);
  lines.push(
    line({
      key: 'household',
      labelKey: 'social-assistance:calc.household',
      labelParams: { size, others: n },
      amountCents: null,
      value: `${size} (N = ${n}); ${householdType}; K: ${kClass}`,
      formula: facts.map(describeMember).join('; '),
      legalReference: LEGAL.household,
      sources: src(p.youthEducationAge),
    }),
  );

  const income = incomeLines(input, p, facts, lines);
  const gmiT = threshold(p.gmiFirst, p.gmiOther, n);
  const needyT = threshold(p.needyFirst, p.needyOther, n);
  const lowT = lowIncomeThreshold(p, householdType, n, needyT, lines);
  lines.push(
    thresholdLine(
      'threshold.gmi',
      'social-assistance:calc.gmiThreshold',
      p.gmiFirst,
      p.gmiOther,
      n,
      gmiT,
    ),
    thresholdLine(
      'threshold.needy',
      'social-assistance:calc.needyThreshold',
      p.needyFirst,
      p.needyOther,
      n,
      needyT,
    ),
  );
  const assetsOk = assetsLines(input, p, facts, needyT, lines);

  const incomeC = cents(income);
  const status: Status = !assetsOk
    ? 'none'
    : cmp(incomeC, needyT) <= 0
      ? 'needy'
      : cmp(incomeC, lowT) <= 0
        ? 'low-income'
        : 'none';
  lines.push(
    line({
      key: 'status',
      labelKey: 'social-assistance:calc.status',
      amountCents: null,
      value: status,
      formula: `I = ${formatCents(income)}; ${formatCents(income)} ≤ ${eur(needyT)} → needy; ≤ ${eur(lowT)} → low-income${assetsOk ? '' : '; assets over the limits → none'}`,
      legalReference: LEGAL.status,
      sources: [],
    }),
  );

  const gmiBenefit = gmiBenefitOf(status, gmiT, incomeC, p, lines);
  const anyWorkingAge = facts.some((f) => f.workingAge);
  const period = anyWorkingAge ? p.gmiPeriodMonths : p.gmiPeriodMonthsNoWorkingAge;
  lines.push(
    line({
      key: 'gmi.period',
      labelKey: 'social-assistance:calc.gmiPeriod',
      amountCents: null,
      value: String(period.value),
      formula: anyWorkingAge ? 'a member of working age → 3' : 'nobody of working age → 6',
      legalReference: LEGAL.gmiPeriod,
      sources: src(period),
    }),
  );

  const costs = housingCostLines(input, p, n, lines);
  const housingBenefit = housingBenefitOf(p, kClass, gmiT, costs, incomeC, assetsOk, lines);
  return {
    asOf: input.asOf,
    householdSize: size,
    householdType,
    kClass,
    monthlyIncomeCents: income,
    assetsWithinLimits: assetsOk,
    status,
    gmiBenefitCents: gmiBenefit,
    housingBenefitCents: housingBenefit,
    gmiPeriodMonths: period.value,
    lines,
  };
}

function describeMember(f: MemberFacts): string {
  const tags = [
    f.child ? 'child' : null,
    f.pensionerOrDisabled ? 'pensioner/disability' : null,
    f.youthInEducation ? 'youth in education' : null,
    f.workingAge ? 'working age' : null,
  ].filter(Boolean);
  return `${f.id}: ${f.age} y${tags.length ? ` (${tags.join(', ')})` : ''}`;
}

function thresholdLine(
  key: string,
  labelKey: string,
  first: Figure,
  other: Figure,
  n: number,
  total: Cents,
): CalcLine {
  return {
    key,
    labelKey,
    amountCents: round(total, 'cent-half-up'),
    formula: `${formatCents(first.value)} + ${formatCents(other.value)} × ${n} = ${eur(total)}`,
    legalReference: LEGAL.thresholds,
    sources: src(first, other),
  };
}

/** Average monthly household income: regular totals over 3 months, irregular over 12; lines that do not count are shown, not added. */
function incomeLines(
  input: CalculationInput,
  p: CalculationParameters,
  facts: readonly MemberFacts[],
  lines: CalcLine[],
): number {
  const excluded = new Set(p.excludedIncomeTypes.codes);
  const counted: Cents[] = [];
  for (const [i, l] of input.incomes.entries()) {
    const months = l.period === 'regular' ? p.regularMonths : p.irregularMonths;
    const monthly = over(cents(l.amountCents), BigInt(months.value));
    const base = {
      key: `income.${i}`,
      labelKey: `social-assistance:incomeType.${l.type}`,
      labelParams: { member: l.memberId },
    };
    const avg = `${formatCents(l.amountCents)} / ${months.value}`;
    if (excluded.has(l.type)) {
      lines.push({
        ...base,
        amountCents: round(monthly, 'cent-half-up'),
        formula: `${avg} = ${eur(monthly)} (not counted)`,
        legalReference: LEGAL.incomeExcluded,
        sources: [p.excludedIncomeTypes.source, months.source],
        excluded: true,
      });
      continue;
    }
    const isChild = facts.find((f) => f.id === l.memberId)?.child ?? false;
    if (l.type === 'child-earnings' && isChild) {
      const counts = max(ZERO, sub(monthly, cents(p.childEarningsExempt.value)));
      counted.push(counts);
      lines.push({
        ...base,
        amountCents: round(counts, 'cent-half-up'),
        formula: `max(0, ${avg} − ${formatCents(p.childEarningsExempt.value)}) = ${eur(counts)}`,
        legalReference: LEGAL.incomeExcluded,
        sources: [months.source, p.childEarningsExempt.source],
        excluded: !counts.n,
      });
      continue;
    }
    counted.push(monthly);
    lines.push({
      ...base,
      amountCents: round(monthly, 'cent-half-up'),
      formula: `${avg} = ${eur(monthly)}`,
      legalReference: LEGAL.income,
      sources: [months.source],
    });
  }
  const total = sum(counted);
  const rounded = round(total, p.rounding.income.rule);
  lines.push({
    key: 'income.total',
    labelKey: 'social-assistance:calc.incomeTotal',
    amountCents: rounded,
    formula: `Σ = ${eur(total)} → ${formatCents(rounded)} (${p.rounding.income.rule})`,
    legalReference: LEGAL.income,
    sources: [p.rounding.income.source],
  });
  return rounded;
}

/** The municipality's threshold for the household type, kept between the needy threshold and the 80 % cap. */
function lowIncomeThreshold(
  p: CalculationParameters,
  type: CalculationResult['householdType'],
  n: number,
  needyT: Cents,
  lines: CalcLine[],
): Cents {
  const set = p.lowIncome[type];
  const own = threshold(set.first, set.other, n);
  const cap =
    p.lowIncomeCapFirst && p.lowIncomeCapOther
      ? threshold(p.lowIncomeCapFirst, p.lowIncomeCapOther, n)
      : null;
  let used = max(own, needyT);
  if (cap) used = min(used, cap);
  const notes = [
    cmp(own, needyT) < 0
      ? `below the needy threshold ${eur(needyT)}: the needy threshold applies`
      : null,
    cap && cmp(own, cap) > 0 ? `above the 80 % cap ${eur(cap)}: the cap applies` : null,
  ].filter(Boolean);
  lines.push({
    key: 'threshold.low-income',
    labelKey: 'social-assistance:calc.lowIncomeThreshold',
    labelParams: { type },
    amountCents: round(used, 'cent-half-up'),
    formula: `${formatCents(set.first.value)} + ${formatCents(set.other.value)} × ${n} = ${eur(own)}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    legalReference: LEGAL.lowIncome,
    sources: src(set.first, set.other, p.lowIncomeCapFirst, p.lowIncomeCapOther),
  });
  return used;
}

/** Savings not above the needy threshold; at most one car (two with children); no other real estate (SPSPL 36(1)). */
function assetsLines(
  input: CalculationInput,
  p: CalculationParameters,
  facts: readonly MemberFacts[],
  needyT: Cents,
  lines: CalcLine[],
): boolean {
  const limit = timesBp(needyT, BigInt(p.savingsLimitBp.value));
  const savingsOk = cmp(cents(input.assets.savingsCents), limit) <= 0;
  const withChildren = facts.some((f) => f.child);
  const carLimit = withChildren ? p.maxCarsWithChildren : p.maxCars;
  const carsOk = input.assets.cars <= carLimit.value;
  const estateOk = input.assets.otherRealEstate <= p.maxOtherRealEstate.value;
  lines.push(
    {
      key: 'assets.savings',
      labelKey: 'social-assistance:calc.savings',
      amountCents: input.assets.savingsCents,
      value: savingsOk ? 'ok' : 'over',
      formula: `${formatCents(input.assets.savingsCents)} ≤ ${formatBp(p.savingsLimitBp.value)} × ${eur(needyT)} = ${eur(limit)}: ${savingsOk ? 'yes' : 'no'}`,
      legalReference: LEGAL.assets,
      sources: src(p.savingsLimitBp),
    },
    {
      key: 'assets.cars',
      labelKey: 'social-assistance:calc.cars',
      amountCents: null,
      value: carsOk ? 'ok' : 'over',
      formula: `${input.assets.cars} ≤ ${carLimit.value}${withChildren ? ' (children in the household)' : ''}: ${carsOk ? 'yes' : 'no'}`,
      legalReference: LEGAL.assets,
      sources: src(carLimit),
    },
    {
      key: 'assets.real-estate',
      labelKey: 'social-assistance:calc.realEstate',
      amountCents: null,
      value: estateOk ? 'ok' : 'over',
      formula: `${input.assets.otherRealEstate} ≤ ${p.maxOtherRealEstate.value}: ${estateOk ? 'yes' : 'no'}`,
      legalReference: LEGAL.assets,
      sources: src(p.maxOtherRealEstate),
    },
  );
  return savingsOk && carsOk && estateOk;
}

function gmiBenefitOf(
  status: Status,
  gmiT: Cents,
  income: Cents,
  p: CalculationParameters,
  lines: CalcLine[],
): number {
  const diff = sub(gmiT, income);
  const amount = status === 'needy' && diff.n > 0n ? round(diff, p.rounding.gmiBenefit.rule) : 0;
  lines.push({
    key: 'gmi.benefit',
    labelKey: 'social-assistance:calc.gmiBenefit',
    amountCents: amount,
    formula:
      status === 'needy'
        ? `${eur(gmiT)} − ${eur(income)} = ${eur(diff)}${diff.n > 0n ? ` → ${formatCents(amount)} (${p.rounding.gmiBenefit.rule})` : ' ≤ 0: not eligible'}`
        : `status ${status}: GMI benefit needs needy status`,
    legalReference: LEGAL.gmi,
    sources: [p.rounding.gmiBenefit.source],
  });
  return amount;
}

/** Counted kinds only, summed per kind and capped by the norm (first + other × N; 0 = no norm). */
function housingCostLines(
  input: CalculationInput,
  p: CalculationParameters,
  n: number,
  lines: CalcLine[],
): Cents {
  const countedKinds = new Set(p.countedCostKinds.codes);
  const byKind = new Map<HousingCostKind, number>();
  for (const c of input.housingCosts) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + c.amountCents);
  const counted: Cents[] = [];
  for (const [kind, amount] of byKind) {
    const base = { key: `cost.${kind}`, labelKey: `social-assistance:costKind.${kind}` };
    if (!countedKinds.has(kind)) {
      lines.push({
        ...base,
        amountCents: amount,
        formula: `${formatCents(amount)} (not counted)`,
        legalReference: LEGAL.housingCosts,
        sources: [p.countedCostKinds.source],
        excluded: true,
      });
      continue;
    }
    const norm = p.norms[kind];
    const cap = norm && norm.first.value > 0 ? threshold(norm.first, norm.other, n) : null;
    const used = cap ? min(cents(amount), cap) : cents(amount);
    counted.push(used);
    lines.push({
      ...base,
      amountCents: round(used, 'cent-half-up'),
      formula:
        cap && norm
          ? `min(${formatCents(amount)}, ${formatCents(norm.first.value)} + ${formatCents(norm.other.value)} × ${n} = ${eur(cap)}) = ${eur(used)}`
          : `${formatCents(amount)} (no norm entered)`,
      legalReference: LEGAL.housingCosts,
      sources: [p.countedCostKinds.source, ...src(norm?.first, norm?.other)],
    });
  }
  const total = sum(counted);
  lines.push({
    key: 'cost.total',
    labelKey: 'social-assistance:calc.costsTotal',
    amountCents: round(total, 'cent-half-up'),
    formula: `Σ = ${eur(total)}`,
    legalReference: LEGAL.housingCosts,
    sources: [],
  });
  return total;
}

function housingBenefitOf(
  p: CalculationParameters,
  kClass: CalculationResult['kClass'],
  gmiT: Cents,
  costs: Cents,
  income: Cents,
  assetsOk: boolean,
  lines: CalcLine[],
): number {
  const k = p.k[kClass];
  const base = timesBp(gmiT, BigInt(k.value));
  lines.push({
    key: 'housing.k',
    labelKey: 'social-assistance:calc.k',
    labelParams: { class: kClass },
    amountCents: round(base, 'cent-half-up'),
    value: formatBp(k.value),
    formula: `${formatBp(k.value)} × ${eur(gmiT)} = ${eur(base)}`,
    legalReference: LEGAL.k,
    sources: src(k),
  });
  const diff = sub(add(base, costs), income);
  const amount = assetsOk && diff.n > 0n ? round(diff, p.rounding.housingBenefit.rule) : 0;
  lines.push({
    key: 'housing.benefit',
    labelKey: 'social-assistance:calc.housingBenefit',
    amountCents: amount,
    formula: `${eur(base)} + ${eur(costs)} − ${eur(income)} = ${eur(diff)}${
      !assetsOk
        ? '; assets over the limits: not eligible'
        : diff.n > 0n
          ? ` → ${formatCents(amount)} (${p.rounding.housingBenefit.rule})`
          : ' ≤ 0: not eligible'
    }`,
    legalReference: LEGAL.housing,
    sources: [p.rounding.housingBenefit.source],
  });
  return amount;
}
