import type { AuditService } from '../platform/audit/audit.service';
import type { StaffUser } from '../workspace/page-support';

/** Records what an administrator did (`admin.<subject>_<verb>`) on the municipality's audit chain. */
export function recordAdminAction(
  audit: AuditService,
  user: StaffUser,
  action: string,
  subject: { type: string; id: string },
  details: Record<string, unknown>,
): Promise<unknown> {
  return audit.record({
    municipalityId: user.municipalityId,
    actor: { accountId: user.accountId, display: user.displayName, role: 'administrator' },
    action,
    subject,
    details,
  });
}
