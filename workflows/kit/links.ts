import { taskCompleted } from './events';

/**
 * Linked cases in process code. A run links its case to another (`linkCase`) and signals the
 * run of a linked case (`signalCase`) through activities: the activity checks the link and the
 * municipality, resolves the target case's run (its id is the case id) and sends through the
 * engine port (ProcessEngine.signal), so a signal is an effect recorded like any other, never a
 * direct call from one run to another.
 */

export interface LinkCaseActivityRequest {
  /** The run's own case. */
  caseId: string;
  municipalityId: string;
  toCaseId: string;
  /** One of CASE_LINK_TYPES: decides, pays, follows, related. */
  type: string;
}

export interface SignalCaseRequest {
  /** The run's own case (the sender). */
  caseId: string;
  municipalityId: string;
  /** A case linked to the sender (either direction, or its parent or child). */
  targetCaseId: string;
  /** The event topic, e.g. `council.decided` (an Event's `topic.topic` or `for(id).topic`). */
  topic: string;
  payload: unknown;
  /** Stable name of this send in the sending process: (case, key) makes the signal idempotent. */
  key: string;
}

/** Delivered, or not because the target case is no longer open (its run ended or is ending). */
export type SignalCaseResult = { delivered: true } | { delivered: false; reason: 'target-closed' };

export type CaseLinkActivities = {
  /** Links the run's case to another; true when this call made the link (idempotent). */
  linkCase(req: LinkCaseActivityRequest): Promise<boolean>;
  signalCase(req: SignalCaseRequest): Promise<SignalCaseResult>;
};

/**
 * Task completions go through the task service only, delivery notices through the delivery sender:
 * a process or an outside sender cannot forge one for another case.
 */
export const isReservedTopic = (topic: string): boolean =>
  [taskCompleted.name, 'delivery.notified'].some((r) => topic === r || topic.startsWith(`${r}:`));
