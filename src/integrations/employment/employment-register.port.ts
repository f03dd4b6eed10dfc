/**
 * Port to the employment agency (NVA): whether a person is registered as unemployed on a date, and
 * since when. Implemented by EmploymentRegisterGateway and EmploymentRegisterSimulator.
 */
export const EMPLOYMENT_REGISTER = Symbol('EMPLOYMENT_REGISTER');

export interface UnemploymentSpell {
  from: string;
  to: string | null;
}

export interface UnemploymentStatus {
  unemployed: boolean;
  /** Start of the registration in force on the date; null when not registered. */
  since: string | null;
  /** Every registration, newest first. */
  history: UnemploymentSpell[];
}

export interface EmploymentRegister {
  getUnemploymentStatus(personalCode: string, onDate: string): Promise<UnemploymentStatus>;
}
