/**
 * Port to the national social-assistance register (SPOLIS, MK 587/2014): everyone who applied for,
 * received or was refused social assistance in any municipality, entered as of the decision date.
 * The basis of the duplicate check (the same benefit must not be received in two municipalities).
 * Implemented by AssistanceRegisterGateway and AssistanceRegisterSimulator.
 */
export const ASSISTANCE_REGISTER = Symbol('ASSISTANCE_REGISTER');

export type AssistanceBenefit =
  'gmi' | 'housing' | 'needy_status' | 'low_income_status' | 'emergency';
export type AssistanceStatus = 'applied' | 'granted' | 'refused';

export interface AssistanceRecord {
  /** The municipality as the address register names it (e.g. Tukuma novads). */
  municipality: string;
  benefit: AssistanceBenefit;
  status: AssistanceStatus;
  decidedOn: string;
  periodFrom: string | null;
  periodTo: string | null;
  monthlyCents: number | null;
}

export interface AssistanceReport extends AssistanceRecord {
  /** Idempotency key (e.g. case number + step): reporting twice keeps one entry. */
  requestRef: string;
  personalCode: string;
}

export interface AssistanceRegister {
  /** Entries whose period (or decision date, without a period) touches from..to, newest first. */
  listForPerson(personalCode: string, from: string, to: string): Promise<AssistanceRecord[]>;
  /** Enters a municipality's decision. */
  report(entry: AssistanceReport): Promise<AssistanceRecord>;
}
