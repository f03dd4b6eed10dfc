import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../tenancy/rls';

/**
 * Issue 13 item 4, linked cases: a case may have a parent (`cases.parent_id`) and typed links to
 * other cases (`case_links`: an agenda item `decides` a case, a payment `pays` a decision). Both
 * reference the case together with its municipality, so the database itself refuses a parent or a
 * link across municipalities; RLS keeps each municipality to its own links.
 */
export class CaseLinks1796560700000 implements MigrationInterface {
  name = 'CaseLinks1796560700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "UQ_cases_municipality_id" UNIQUE ("municipality_id", "id")`,
    );
    await queryRunner.query(`ALTER TABLE "cases" ADD "parent_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "FK_fa6bc7369c9b07f808ae70c80b8" FOREIGN KEY ("municipality_id", "parent_id") REFERENCES "cases" ("municipality_id", "id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "CHK_cases_parent_not_self" CHECK ("parent_id" IS NULL OR "parent_id" <> "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_cases_parent" ON "cases" ("parent_id") WHERE "parent_id" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE TABLE "case_links" (
      "municipality_id" uuid NOT NULL,
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "from_case_id" uuid NOT NULL,
      "to_case_id" uuid NOT NULL,
      "type" text NOT NULL,
      "created_by" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_case_links" PRIMARY KEY ("id"),
      CONSTRAINT "UQ_case_links" UNIQUE ("from_case_id", "to_case_id", "type"),
      CONSTRAINT "FK_57058bd42e56841c97b82bc2358" FOREIGN KEY ("municipality_id", "from_case_id") REFERENCES "cases" ("municipality_id", "id"),
      CONSTRAINT "FK_b7051d0a13b701438bbdbe13185" FOREIGN KEY ("municipality_id", "to_case_id") REFERENCES "cases" ("municipality_id", "id")
    )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_32a074ec5a6ebc294519603dcc" ON "case_links" ("municipality_id")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_case_links_to" ON "case_links" ("to_case_id")`);
    await enableTenantRls(queryRunner, 'case_links');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'case_links');
    await queryRunner.query(`DROP TABLE "case_links"`);
    await queryRunner.query(`DROP INDEX "IDX_cases_parent"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "CHK_cases_parent_not_self"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "FK_fa6bc7369c9b07f808ae70c80b8"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "parent_id"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "UQ_cases_municipality_id"`);
  }
}
