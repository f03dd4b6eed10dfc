export const AUDIT_SINK = Symbol('AUDIT_SINK');

export interface AuditRecord {
  municipalityId: string;
  actor: string;
  action: string;
  outcome: 'allowed' | 'refused';
  subject: { type: string; id: string };
  reason?: string;
  /** Why the action was taken, shown in the case's audit trail. */
  purpose?: string;
  data?: Record<string, unknown>;
}

/** Where the case core reports actions (incl. refused attempts) for the audit log. */
export interface AuditSink {
  record(entry: AuditRecord): Promise<void>;
}
