import type { CalculationInput, CalculationResult } from '../calculation/types';
import type { AwardBenefit } from './award.entity';

/**
 * What an amount row keeps of its calculation (SocialAssistanceAwardAmount.calculation): the
 * means-test input it was computed from and the pure calculation's result (lines with sources).
 * A recalculation reruns `input` (with `asOf` set to the date it applies from) under the
 * parameters in force then.
 */
export interface AwardCalculationRecord {
  input: CalculationInput;
  result: CalculationResult;
}

/**
 * The parameter versions a result used: key → valid-from of the version, from the sources of its
 * lines (figures given explicitly in a what-if request are not parameters and are left out).
 */
export function parametersUsed(result: CalculationResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of result.lines)
    for (const s of line.sources) if (!s.given && s.validFrom) out[s.parameterKey] = s.validFrom;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** The monthly amount of one benefit in a result, in cents. */
export const benefitCents = (result: CalculationResult, benefit: AwardBenefit): number =>
  benefit === 'gmi' ? result.gmiBenefitCents : result.housingBenefitCents;

/**
 * The `calculation`, `parameters` and `monthlyCents` of an amount row computed from `input`
 * (what grantAward writes for each benefit, and what a recalculation writes): keep to this shape,
 * the recalculation compares `parameters` with the versions in force to find what changed.
 */
export function amountFields(
  input: CalculationInput,
  result: CalculationResult,
  benefit: AwardBenefit,
): {
  monthlyCents: number;
  calculation: AwardCalculationRecord;
  parameters: Record<string, string>;
} {
  return {
    monthlyCents: benefitCents(result, benefit),
    calculation: { input, result },
    parameters: parametersUsed(result),
  };
}

/** The stored record, or null when the row was written without its input (it cannot be recalculated). */
export function calculationRecord(value: unknown): AwardCalculationRecord | null {
  const v = value as Partial<AwardCalculationRecord> | null;
  if (!v || typeof v !== 'object' || !v.input || typeof v.input !== 'object') return null;
  if (!Array.isArray(v.input.members) || typeof v.input.asOf !== 'string') return null;
  return v as AwardCalculationRecord;
}
