import type { MonthRange } from '../sim/months';

/**
 * Port to the state social insurance agency (VSAA): pensions and benefits paid to a person, with the
 * amount per month. Implemented by SocialInsuranceRegisterGateway (real, through the state gateway)
 * and SocialInsuranceRegisterSimulator (in-repo, PostgreSQL). Amounts are integer cents.
 */
export const SOCIAL_INSURANCE_REGISTER = Symbol('SOCIAL_INSURANCE_REGISTER');

export type SocialInsuranceKind =
  | 'old_age_pension'
  | 'disability_pension'
  | 'survivor_pension'
  | 'unemployment_benefit'
  | 'family_state_benefit'
  | 'parental_benefit'
  | 'sickness_benefit';

export interface SocialInsuranceBenefit {
  kind: SocialInsuranceKind;
  monthlyCents: number;
  validFrom: string;
  validTo: string | null;
}

export interface SocialInsurancePayment {
  month: string;
  kind: SocialInsuranceKind;
  amountCents: number;
}

export interface SocialInsuranceStatement {
  /** Benefits paid in any month of the period. */
  benefits: SocialInsuranceBenefit[];
  /** One line per benefit and month paid, in month order. */
  payments: SocialInsurancePayment[];
  totalCents: number;
}

export interface SocialInsuranceRegister {
  getPayments(personalCode: string, period: MonthRange): Promise<SocialInsuranceStatement>;
}
