import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../roles';

export class AuditLog1795598715587 implements MigrationInterface {
  name = 'AuditLog1795598715587';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("seq" BIGSERIAL NOT NULL, "municipality_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_account_id" uuid, "actor_display" text NOT NULL, "actor_role" text, "action" text NOT NULL, "subject_type" text, "subject_id" text, "person_id" uuid, "purpose" text, "request_id" text, "ip" text, "details" jsonb NOT NULL, "prev_hash" text NOT NULL, "hash" text NOT NULL, CONSTRAINT "audit_log_read_has_purpose" CHECK ("purpose" IS NOT NULL OR "action" NOT LIKE '%.read'), CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_e20f5c3785a473a7bb07aa0d14" ON "audit_log" ("municipality_id", "person_id", "at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_e4fd372f4eb032b5805adca481" ON "audit_log" ("municipality_id", "seq") `,
    );
    // Append-only: the app role may only INSERT and SELECT, and a trigger refuses UPDATE, DELETE
    // and TRUNCATE for everyone (the owner too), so no one edits the log without disabling it first.
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit_log" FROM "${APP_ROLE}"`);
    await queryRunner.query(
      `CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`,
    );
    // Tenant rows are visible only inside their tenant's transaction; platform rows (NULL) only
    // outside any tenant. There is no UPDATE or DELETE policy, so RLS refuses those too.
    await queryRunner.query(`ALTER TABLE "audit_log" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "audit_log" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY "audit_log_tenant_read" ON "audit_log" FOR SELECT USING ("municipality_id" IS NOT DISTINCT FROM current_tenant())`,
    );
    await queryRunner.query(
      `CREATE POLICY "audit_log_tenant_append" ON "audit_log" FOR INSERT WITH CHECK ("municipality_id" IS NOT DISTINCT FROM current_tenant())`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_e4fd372f4eb032b5805adca481"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e20f5c3785a473a7bb07aa0d14"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP FUNCTION audit_log_refuse_change()`);
  }
}
