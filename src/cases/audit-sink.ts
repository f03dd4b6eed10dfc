import { Injectable, Logger } from '@nestjs/common';

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

/**
 * TEMPORARY: writes audit records to the application log only.
 * LEAD: bind AUDIT_SINK to the real AuditService (hash-chained audit log) when it lands.
 */
@Injectable()
export class LoggerAuditSink implements AuditSink {
  private readonly log = new Logger('Audit');
  readonly entries: AuditRecord[] = [];

  async record(entry: AuditRecord): Promise<void> {
    this.entries.push(entry);
    if (this.entries.length > 1000) this.entries.shift();
    this.log.log(JSON.stringify(entry));
    await Promise.resolve();
  }
}
