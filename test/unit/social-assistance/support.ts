import { calculate } from '../../../src/modules/social-assistance/calculation/calculate';
import {
  resolveParameters,
  type ExplicitRules,
  type ParameterRow,
} from '../../../src/modules/social-assistance/calculation/resolve';
import type {
  CalculationInput,
  CalculationResult,
  HouseholdMember,
} from '../../../src/modules/social-assistance/calculation/types';
import { SOCIAL_ASSISTANCE_PARAMETERS } from '../../../src/modules/social-assistance/social-assistance.parameters';

const dayBefore = (iso: string): string => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

/** The module's shipped defaults as stored rows (each version ending the day before the next), as the seed makes them. */
export const DEFAULT_ROWS: ParameterRow[] = (() => {
  const byKey = new Map<string, (typeof SOCIAL_ASSISTANCE_PARAMETERS)[number][]>();
  for (const d of SOCIAL_ASSISTANCE_PARAMETERS) byKey.set(d.key, [...(byKey.get(d.key) ?? []), d]);
  return [...byKey.values()].flatMap((versions) =>
    [...versions]
      .sort((a, b) => a.validFrom.localeCompare(b.validFrom))
      .map((d, i, all) => ({
        key: d.key,
        value: d.items ? String(d.items.length) : (d.value ?? ''),
        items: d.items ?? null,
        municipalityId: null,
        validFrom: d.validFrom,
        validTo: all[i + 1] ? dayBefore(all[i + 1].validFrom) : null,
        note: d.note,
      })),
  );
})();

export const adult = (
  id: string,
  birthDate = '1985-03-10',
  roles: HouseholdMember['roles'] = [],
): HouseholdMember => ({ id, birthDate, roles });
export const child = (id: string, birthDate = '2016-06-01'): HouseholdMember => ({
  id,
  birthDate,
  roles: [],
});
export const pensioner = (id: string, birthDate = '1950-01-01'): HouseholdMember => ({
  id,
  birthDate,
  roles: ['pensioner'],
});

export const NO_ASSETS = { savingsCents: 0, cars: 0, otherRealEstate: 0 };

export function run(
  input: Partial<CalculationInput> & Pick<CalculationInput, 'asOf' | 'members'>,
  explicit: ExplicitRules = {},
  rows: readonly ParameterRow[] = DEFAULT_ROWS,
): CalculationResult {
  const full: CalculationInput = { incomes: [], assets: NO_ASSETS, housingCosts: [], ...input };
  return calculate(full, resolveParameters(rows, full.asOf, explicit));
}

export const wage = (memberId: string, monthlyCents: number) => ({
  memberId,
  type: 'wage' as const,
  period: 'regular' as const,
  amountCents: monthlyCents * 3,
});

export const lineOf = (r: CalculationResult, key: string) => {
  const l = r.lines.find((x) => x.key === key);
  if (!l) throw new Error(`no line ${key}`);
  return l;
};
