import type { EntityManager } from 'typeorm';

/**
 * Port to the case file's timeline (owned by the case core). Documents record what they did there;
 * the case module provides the implementation under this token.
 */
export const CASE_TIMELINE = Symbol('CASE_TIMELINE');

export interface TimelineEvent {
  municipalityId: string;
  caseId: string;
  /** e.g. `document.issued`. */
  type: string;
  occurredAt: Date;
  /** i18n key of the line shown on the timeline, with its parameters. */
  summaryKey: string;
  params: Record<string, string | number>;
  /** Recording the same key twice must be harmless (activities run at least once). */
  idempotencyKey: string;
}

export interface CaseTimeline {
  /** Called inside the tenant transaction that stores the document, so both commit together. */
  record(event: TimelineEvent, em: EntityManager): Promise<void>;
}
