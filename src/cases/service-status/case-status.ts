import type { EntityManager } from 'typeorm';
import type {
  DecisionResult,
  IntakeChannel,
  ServiceStatus,
} from '../../integrations/pspp/service-status.port';

export type { DecisionResult, IntakeChannel, ServiceStatus };

/** One status change of a case, from a generic point of the case file. */
export interface CaseStatusEvent {
  municipalityId: string;
  caseId: string;
  status: ServiceStatus;
  /** With the case and status, the idempotency key: the same step reports once however often it runs. */
  step: string;
  at: Date;
  /** `registered`: how the request arrived. */
  channel?: IntakeChannel;
  /** `decided`: the case's outcome (e.g. registered, rejected), mapped to granted / refused. */
  outcome?: string | null;
}

/**
 * Records a case's status changes for the services platform, in the caller's transaction (an
 * outbox row each, sent after the commit). The case core calls it at its generic points: case
 * opened, legal clock paused for information, decision recorded, decision delivered.
 */
export interface CaseStatusReporter {
  record(em: EntityManager, e: CaseStatusEvent): Promise<void>;
  /** A case's message was sent or delivered: when it carries the decision, the result is delivered. */
  deliveryReached(
    em: EntityManager,
    e: { municipalityId: string; caseId: string; messageId: string; kind: string; at: Date },
  ): Promise<void>;
}
export const CASE_STATUS_REPORTER = Symbol('CASE_STATUS_REPORTER');

/** Outcomes that refuse what was asked (everything else a decision records grants it). */
const REFUSED = new Set(['rejected', 'refused', 'denied', 'kept', 'not-found', 'invalid']);
export const decisionResult = (outcome: string): DecisionResult =>
  REFUSED.has(outcome) ? 'refused' : 'granted';

/** `process-key=CODE,…` (PSPP_SERVICE_CODES) as a map. */
export function parseServiceCodes(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of s.split(',')) {
    const [k, v] = pair.split('=').map((x) => x?.trim());
    if (k && v) out.set(k, v);
  }
  return out;
}
