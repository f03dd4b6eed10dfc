/**
 * Port to the state medical commission for the assessment of health condition and working ability
 * (VDEĀVK): a person's disability in force on a date. Implemented by DisabilityRegisterGateway and
 * DisabilityRegisterSimulator.
 */
export const DISABILITY_REGISTER = Symbol('DISABILITY_REGISTER');

export interface DisabilityStatus {
  disabled: boolean;
  /** adult or child; null when none is in force. */
  kind: 'adult' | 'child' | null;
  /** 1, 2 or 3 for adults; null for a child or none. */
  group: number | null;
  validFrom: string | null;
  /** Null: without a time limit (or none in force). */
  validUntil: string | null;
}

export interface DisabilityRegister {
  getDisability(personalCode: string, onDate: string): Promise<DisabilityStatus>;
}
