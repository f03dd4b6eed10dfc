import type { MonthRange } from '../sim/months';

/**
 * Port to the tax service (VID): a person's employment income per month and employer, from the
 * employers' monthly reports. Implemented by IncomeRegisterGateway and IncomeRegisterSimulator.
 * Amounts are integer cents; net = gross − withheld (social contributions and income tax).
 */
export const INCOME_REGISTER = Symbol('INCOME_REGISTER');

export interface Employer {
  employerCode: string;
  employerName: string;
  from: string;
  to: string | null;
}

export interface MonthlyIncome {
  month: string;
  employerCode: string;
  employerName: string;
  grossCents: number;
  taxCents: number;
  netCents: number;
}

export interface IncomeStatement {
  employers: Employer[];
  months: MonthlyIncome[];
  totalGrossCents: number;
  totalNetCents: number;
}

export interface IncomeRegister {
  getEmploymentIncome(personalCode: string, period: MonthRange): Promise<IncomeStatement>;
}
