import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';

/** What authentication reports to the audit log. */
export interface AuthAuditEvent {
  action:
    | 'auth.sign_in'
    | 'auth.sign_in_failed'
    | 'auth.sign_in_rate_limited'
    | 'auth.sign_out'
    | 'auth.account_disabled'
    | 'auth.account_enabled'
    | 'auth.account_change_refused'
    | 'auth.account_provisioned'
    | 'auth.directory_roles_changed'
    | 'auth.directory_access_ended'
    | 'auth.directory_settings_changed';
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

/**
 * Sign-in events go to the hash-chained audit log (the municipality's chain, or the platform chain
 * before a municipality is known) and to the structured log.
 */
@Injectable()
export class PlatformAuthAudit implements AuthAudit {
  private readonly log = new Logger('AuthAudit');
  constructor(private readonly audit: AuditService) {}

  async record(e: AuthAuditEvent): Promise<void> {
    this.log.log({ audit: e }, e.action);
    await this.audit.record({
      municipalityId: e.municipalityId,
      actor: { accountId: e.accountId, display: e.accountId ?? 'anonymous' },
      action: e.action,
      subject: e.accountId ? { type: 'account', id: e.accountId } : null,
      ip: e.ip || null,
      details: e.details,
    });
  }
}
