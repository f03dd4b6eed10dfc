import type { CalculationParameters, HouseholdMember, HouseholdType, KClass } from './types';

/** Whole years between an ISO birth date and an ISO date (the birthday counts on its day). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export interface MemberFacts {
  id: string;
  age: number;
  child: boolean;
  pensionerOrDisabled: boolean;
  youthInEducation: boolean;
  workingAge: boolean;
}

/** What the rules ask of each member on the date: a child (< 18), a youth in education, of working age. */
export function memberFacts(
  members: readonly HouseholdMember[],
  asOf: string,
  p: Pick<CalculationParameters, 'youthEducationAge'>,
): MemberFacts[] {
  return members.map((m) => {
    const age = ageOn(m.birthDate, asOf);
    const pensionerOrDisabled = m.roles.includes('pensioner') || m.roles.includes('disability');
    return {
      id: m.id,
      age,
      child: age < 18,
      pensionerOrDisabled,
      youthInEducation:
        m.roles.includes('education') && age >= 18 && age < p.youthEducationAge.value,
      // Re-assessment every 3 months, 6 when the household is only pensioners, persons with disabilities and minors.
      workingAge: age >= 18 && !pensionerOrDisabled,
    };
  });
}

/** The housing-benefit coefficient class (SPSPL 35(5); the children case of 2026 per DOMAIN.md). */
export function kClassOf(facts: readonly MemberFacts[]): KClass {
  if (facts.length === 1 && facts[0].pensionerOrDisabled) return 'single-pensioner';
  if (
    facts.some((f) => f.pensionerOrDisabled) &&
    facts.every((f) => f.pensionerOrDisabled || f.child)
  )
    return 'pensioners-only';
  if (facts.some((f) => f.child || f.youthInEducation)) return 'with-children';
  return 'other';
}

/** The household type a municipal low-income threshold is set for. */
export function householdTypeOf(facts: readonly MemberFacts[]): HouseholdType {
  if (facts.length === 1 && facts[0].pensionerOrDisabled) return 'single-pensioner';
  if (
    facts.some((f) => f.pensionerOrDisabled) &&
    facts.every((f) => f.pensionerOrDisabled || f.child)
  )
    return 'pensioners-only';
  return 'general';
}
