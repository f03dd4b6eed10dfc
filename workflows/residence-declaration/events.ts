import { defineEvent } from '../kit/events';

/** The applicant supplied the documents the caseworker asked for (sent by the upload API). */
export interface DocumentsSupplied {
  attachmentIds: string[];
  suppliedBy: string;
  suppliedAt: string;
}
export const documentsSupplied = defineEvent<DocumentsSupplied>('residence.documents-supplied');

/**
 * News for a running annulment: the person re-declared elsewhere (sent by the declaration
 * process) or answered the invitation with proof of a legal basis (sent by the response API).
 */
export type AnnulmentUpdate =
  | { kind: 'redeclared'; declarationCaseId: string; at: string }
  | { kind: 'response'; attachmentIds: string[]; note: string; at: string };
export const annulmentUpdate = defineEvent<AnnulmentUpdate>('residence.annulment-update');

/** Decision form `residence.review`. */
export interface ResidenceReviewDecision {
  outcome: 'approve' | 'reject' | 'request-documents';
  reason?: string;
  documentsRequested?: string;
}

/** Decision form `residence.annulment-review`. */
export interface AnnulmentReviewDecision {
  outcome: 'annul' | 'keep';
  /** Whether the person had a legal basis when they declared (decides the annulment date). */
  basisAtDeclaration?: boolean;
  reason: string;
}
