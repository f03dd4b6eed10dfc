import { Injectable, Logger } from '@nestjs/common';

/** What authentication reports to the audit log. */
export interface AuthAuditEvent {
  action: 'auth.sign_in' | 'auth.sign_in_failed' | 'auth.sign_in_rate_limited' | 'auth.sign_out' | 'auth.account_disabled' | 'auth.account_enabled';
  accountId: string | null;
  municipalityId: string | null;
  /** Reason codes and other non-secret details (never passwords). */
  details: Record<string, string | number | boolean | null>;
  ip?: string;
}

/**
 * The port authentication writes audit entries through. The lead binds it to the platform
 * AuditService (src/platform/audit) with `{ provide: AUTH_AUDIT, useExisting: ... }`.
 */
export interface AuthAudit {
  record(event: AuthAuditEvent): Promise<void>;
}

export const AUTH_AUDIT = Symbol('AUTH_AUDIT');

/** Temporary binding until the audit module is wired: writes the entry to the structured log. */
@Injectable()
export class LogOnlyAuthAudit implements AuthAudit {
  private readonly log = new Logger('AuthAudit');
  record(event: AuthAuditEvent): Promise<void> {
    this.log.log({ audit: event }, event.action);
    return Promise.resolve();
  }
}
