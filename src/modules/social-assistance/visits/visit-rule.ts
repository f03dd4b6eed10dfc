/** Why a social-assistance case gets an interview / home visit task. */
export type VisitReason = 'first-application' | 'household-difference' | 'arranged';

/** The rule as the parameters in force on the application date set it (1 = required, 0 = not). */
export interface VisitRule {
  onFirstApplication: boolean;
  onHouseholdDifference: boolean;
}

/** What is known about the application when the rule is applied (after the register checks). */
export interface VisitFacts {
  /** No earlier application of the applicant in this municipality. */
  firstApplication: boolean;
  /** The population register check flagged a difference from the declared household. */
  householdDifference: boolean;
}

/** Parameter value `1` / `0` as the rule's switch (anything other than a positive number is off). */
export const switchOn = (value: string): boolean => Number(value) > 0;

/**
 * The reasons the rule requires an interview / home visit before the review (none: not required).
 * MK 809 / SPSPL let the social worker assess the household's situation and visit the home; which
 * cases must have one is the municipality's rule (parameters `social-assistance.visit.*`).
 */
export function visitReasons(rule: VisitRule, facts: VisitFacts): VisitReason[] {
  const reasons: VisitReason[] = [];
  if (rule.onFirstApplication && facts.firstApplication) reasons.push('first-application');
  if (rule.onHouseholdDifference && facts.householdDifference) reasons.push('household-difference');
  return reasons;
}
