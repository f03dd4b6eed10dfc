import {
  switchOn,
  visitReasons,
  type VisitRule,
} from '../../../src/modules/social-assistance/visits/visit-rule';
import { SOCIAL_ASSISTANCE_PARAMETERS } from '../../../src/modules/social-assistance/social-assistance.parameters';

const rule = (onFirstApplication: boolean, onHouseholdDifference: boolean): VisitRule => ({
  onFirstApplication,
  onHouseholdDifference,
});

describe('social assistance: the interview / home visit rule', () => {
  it('requires nothing when both switches are off, whatever the case', () => {
    expect(
      visitReasons(rule(false, false), { firstApplication: true, householdDifference: true }),
    ).toEqual([]);
  });

  it('requires a visit on a first application only when that switch is on', () => {
    expect(
      visitReasons(rule(true, false), { firstApplication: true, householdDifference: false }),
    ).toEqual(['first-application']);
    expect(
      visitReasons(rule(true, false), { firstApplication: false, householdDifference: true }),
    ).toEqual([]);
  });

  it('requires a visit when the register flagged the household only when that switch is on', () => {
    expect(
      visitReasons(rule(false, true), { firstApplication: true, householdDifference: true }),
    ).toEqual(['household-difference']);
    expect(
      visitReasons(rule(false, true), { firstApplication: true, householdDifference: false }),
    ).toEqual([]);
  });

  it('names every reason that applies', () => {
    expect(
      visitReasons(rule(true, true), { firstApplication: true, householdDifference: true }),
    ).toEqual(['first-application', 'household-difference']);
  });

  it('reads a parameter value 1 as on and 0 (or anything not positive) as off', () => {
    expect(switchOn('1')).toBe(true);
    expect(switchOn('0')).toBe(false);
    expect(switchOn('')).toBe(false);
    expect(switchOn('-1')).toBe(false);
  });

  it('ships both switches as effective-dated parameters, off nationally, with the legal basis marked unverified', () => {
    const visit = SOCIAL_ASSISTANCE_PARAMETERS.filter((p) =>
      p.key.startsWith('social-assistance.visit.'),
    );
    expect(visit.map((p) => [p.key, p.value])).toEqual([
      ['social-assistance.visit.on-first-application', '0'],
      ['social-assistance.visit.on-household-difference', '0'],
    ]);
    for (const p of visit) {
      expect(p.note).toMatch(/^.*Unverified: MK 809 \/ SPSPL/);
      expect(p.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
