import type { TenantDb } from '../../src/platform/tenancy/tenant-db';

/** The details of the audit log's entries with this action about this subject, oldest first, read as the tenant. */
export async function auditDetails(
  tenantDb: TenantDb,
  municipalityId: string,
  action: string,
  subjectId: string,
): Promise<Record<string, unknown>[]> {
  const rows = (await tenantDb.run(municipalityId, (em) =>
    em.query(`SELECT details FROM audit_log WHERE action = $1 AND subject_id = $2 ORDER BY seq`, [
      action,
      subjectId,
    ]),
  )) as { details: Record<string, unknown> }[];
  return rows.map((r) => r.details);
}
