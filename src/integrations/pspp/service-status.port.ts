/**
 * Service status reporting to the state services platform (PSPP, MK 402/2017): the provider
 * registers every request in every channel and each later state, and the resident sees them in
 * their e-address account. The platform's interface is not public: the payload below is ours
 * (see docs/integrations.md), the adapter's endpoint, authentication and service codes are settings.
 */

/** The statuses a case reports, in the order a case normally reaches them. */
export const SERVICE_STATUSES = [
  'registered',
  'info_requested',
  'decided',
  'result_delivered',
] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** How the request reached the municipality (reported with `registered`). */
export const INTAKE_CHANNELS = ['e_service', 'counter', 'e_address', 'post'] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];

/** What a decision gave the resident (reported with `decided`). */
export type DecisionResult = 'granted' | 'refused';

/** One status change of one case, as sent to the platform. */
export interface ServiceStatusReport {
  /** The provider: the municipality's registration number (and its code, for people reading logs). */
  provider: { registrationNumber: string; code: string; name: string };
  /** The service's code in the state service catalogue (per process, configurable). */
  serviceCode: string;
  caseNumber: string;
  status: ServiceStatus;
  /** 1, 2, 3… per case: the receiver orders a case's statuses by it. */
  sequence: number;
  /** When the status changed (ISO 8601 with offset). */
  occurredAt: string;
  channel?: IntakeChannel;
  result?: DecisionResult;
}

export interface ServiceStatusReceipt {
  /** The platform's id for the report. */
  receiptId: string;
  /** The platform had this idempotency key already and answered with the first receipt. */
  duplicate: boolean;
}

/**
 * The port to the services platform. `idempotencyKey` is the same for every retry of one report:
 * the platform keeps one report per key. Throw a retryable DomainError for transient trouble (5xx,
 * timeout, reset) and a non-retryable one when the platform refuses the report (4xx).
 */
export interface ServiceStatusPort {
  report(report: ServiceStatusReport, idempotencyKey: string): Promise<ServiceStatusReceipt>;
}
export const SERVICE_STATUS_PORT = Symbol('SERVICE_STATUS_PORT');
