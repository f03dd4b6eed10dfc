/**
 * What process code needs to run the register checks of activities/registry: their names, input
 * and outcome types, and each register's retry policy. Types and plain data only (replayed code).
 *
 * A process runs them in parallel and records each on the case (register_checks):
 *
 *   const outcomes = await Promise.all([
 *     ctx.act.checkIncomeRegister({ caseId, municipalityId, personalCode, asOf, declared: { totalNetCents } }),
 *     ctx.act.checkAssistanceRegister({ caseId, municipalityId, personalCode, asOf }),
 *   ]);
 *
 * A register that does not answer within its retries rejects its call: wrap a call in `.catch` (or
 * use Promise.allSettled) where the process should go on without it; the case shows it unavailable.
 */
import type { ActivityOptions } from './types';

export type RegisterName =
  | 'population'
  | 'social-insurance'
  | 'income'
  | 'employment'
  | 'disability'
  | 'property'
  | 'vehicles'
  | 'assistance';

export type RegisterCheckStatus = 'ok' | 'failed' | 'unavailable';

export interface RegisterCheckFlag {
  code: string;
  personalCode?: string;
  declared?: unknown;
  register?: unknown;
}

export interface RegisterCheckInput<D = Record<string, unknown>> {
  caseId: string;
  municipalityId: string;
  /** The person the register is asked about. */
  personalCode: string;
  /** The date the assessment is about (the application date), YYYY-MM-DD. */
  asOf: string;
  /** Full months before asOf's month that income and benefits cover (default 3; irregular income 12). */
  months?: number;
  /** Values from the declaration to compare with the register's; each difference becomes a flag. */
  declared?: D;
  /** Row key on the case; default `<register>:<personal code>` (pass one per re-assessment round). */
  key?: string;
}

export interface RegisterCheckOutcome<R = unknown> {
  register: RegisterName;
  status: RegisterCheckStatus;
  result: R | null;
  flags: RegisterCheckFlag[];
  /** Attempts so far, this one included. */
  attempts: number;
  error?: string;
}

/** Declared values each check compares (all optional: only what is given is compared). */
export interface DeclaredHousehold {
  /** Household members' personal codes besides the applicant. */
  members?: string[];
  addressCode?: string;
}
export interface DeclaredAmount {
  totalCents?: number;
}
export interface DeclaredIncome {
  totalNetCents?: number;
  employerCodes?: string[];
}
export interface DeclaredUnemployment {
  unemployed?: boolean;
}
export interface DeclaredDisability {
  group?: number | null;
}
export interface DeclaredProperty {
  cadastralNumbers?: string[];
}
export interface DeclaredVehicles {
  registrationNumbers?: string[];
}

export const REGISTER_CHECK_ACTIVITY: Record<RegisterName, string> = {
  population: 'checkHouseholdRegister',
  'social-insurance': 'checkSocialInsuranceRegister',
  income: 'checkIncomeRegister',
  employment: 'checkEmploymentRegister',
  disability: 'checkDisabilityRegister',
  property: 'checkPropertyRegister',
  vehicles: 'checkVehicleRegister',
  assistance: 'checkAssistanceRegister',
};

const quick = (maxAttempts: number, timeoutMs: number): ActivityOptions => ({
  retry: { maxAttempts, initialIntervalMs: 500, backoffCoefficient: 2, maxIntervalMs: 30_000 },
  timeoutMs,
});

/**
 * Each register's retry policy, for a process's `activities` meta. The state gateway answers in
 * well under a second; SPOLIS (the duplicate check) and VID get more attempts because a decision
 * must not be taken without them, vehicles and disability fewer (the caseworker can ask).
 */
export const REGISTER_CHECK_OPTIONS: Record<string, ActivityOptions> = {
  checkHouseholdRegister: quick(6, 15_000),
  checkSocialInsuranceRegister: quick(6, 15_000),
  checkIncomeRegister: quick(8, 20_000),
  checkEmploymentRegister: quick(5, 10_000),
  checkDisabilityRegister: quick(4, 10_000),
  checkPropertyRegister: quick(5, 15_000),
  checkVehicleRegister: quick(4, 10_000),
  checkAssistanceRegister: quick(8, 15_000),
};
