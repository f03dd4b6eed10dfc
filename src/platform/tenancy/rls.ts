import type { QueryRunner } from 'typeorm';

/**
 * Used inside migrations: turns on row-level security with FORCE for a table that carries
 * municipality_id, so even the table owner sees only the tenant set for the transaction.
 */
export async function enableTenantRls(q: QueryRunner, table: string): Promise<void> {
  await q.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
  await q.query(
    `CREATE POLICY "${table}_tenant_isolation" ON "${table}" USING ("municipality_id" = current_tenant()) WITH CHECK ("municipality_id" = current_tenant())`,
  );
}

export async function disableTenantRls(q: QueryRunner, table: string): Promise<void> {
  await q.query(`DROP POLICY IF EXISTS "${table}_tenant_isolation" ON "${table}"`);
  await q.query(`ALTER TABLE "${table}" NO FORCE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
}
