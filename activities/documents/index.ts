import type {
  IssueDocumentInput,
  IssuedDocumentSummary,
} from '../../src/documents/document.service';

export interface DocumentActivityPorts {
  documents: { issue(input: IssueDocumentInput): Promise<IssuedDocumentSummary> };
}

export type IssueDocumentActivityInput = IssueDocumentInput;

/**
 * Document activities. `issueDocument` is idempotent per (caseId, stepKey): a retried or replayed
 * call returns the document stored by the first successful attempt (created: false) and never
 * issues a second one. Errors are DomainErrors; only retryable ones (Chromium timeout or
 * unavailable) are worth retrying; a missing or expired seal is not.
 */
export function createDocumentActivities(ports: DocumentActivityPorts) {
  return {
    async issueDocument(input: IssueDocumentActivityInput): Promise<IssuedDocumentSummary> {
      return ports.documents.issue(input);
    },
  };
}

export type DocumentActivities = ReturnType<typeof createDocumentActivities>;
