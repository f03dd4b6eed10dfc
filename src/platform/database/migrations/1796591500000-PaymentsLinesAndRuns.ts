import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../tenancy/rls';

const TENANT_TABLES = [
  'payment_lines',
  'payment_runs',
  'payment_settings',
  'payment_status_reports',
];

/**
 * Issue 15 part 7, payments (a platform part any process uses): payable lines per case, monthly
 * payment runs per municipality (one per month: the unique index is what makes a repeated run
 * pay nothing twice), imported pain.002 status reports (once per MsgId), and each municipality's
 * paying account. Lines, runs and reports carry resident data: RLS per municipality.
 */

export class PaymentsLinesAndRuns1796591500000 implements MigrationInterface {
  name = 'PaymentsLinesAndRuns1796591500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "payment_lines" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "key" text NOT NULL, "payee_kind" text NOT NULL, "payee_name" text NOT NULL, "payee_iban" text NOT NULL, "payee_bic" text, "amount_cents" integer NOT NULL, "due_month" character(7) NOT NULL, "remittance" text NOT NULL, "purpose_code" text, "amk_code" text, "ekk_code" text, "ultimate_debtor_name" text, "status" text NOT NULL DEFAULT 'scheduled', "run_id" uuid, "status_reason" text, "status_text" text, "reissue_of" uuid, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8092f0accb159f8767c20d3ed86" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_274b61a20a21c58ea554d06e49" ON "payment_lines" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_2baeb42c6d3870d55745f4e88e" ON "payment_lines" ("run_id", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_8dd4221033e23674bb9c0bfa31" ON "payment_lines" ("municipality_id", "status", "due_month") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_4832581fa31302df2c0d5be7c4" ON "payment_lines" ("case_id", "key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "payment_runs" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "month" character(7) NOT NULL, "msg_id" text NOT NULL, "requested_execution_date" date NOT NULL, "line_count" integer NOT NULL, "total_cents" bigint NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_3a5c5c199feeb70d6ad13f9e264" UNIQUE ("msg_id"), CONSTRAINT "PK_c0b01663dff94cd1711f3a89060" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_63ef311c67b1d4ba3854fcec40" ON "payment_runs" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_a21ee5e137a566117862d533cb" ON "payment_runs" ("municipality_id", "month") `,
    );
    await queryRunner.query(
      `CREATE TABLE "payment_settings" ("municipality_id" uuid NOT NULL, "debtor_name" text NOT NULL DEFAULT '', "debtor_iban" text NOT NULL, "debtor_bic" text, "amk_code" text, "ekk_code" text, "latvian_letters" text NOT NULL DEFAULT 'domestic', "rejection_task_days" integer NOT NULL DEFAULT '5', CONSTRAINT "PK_0fbeacacd103b929c5dcd210615" PRIMARY KEY ("municipality_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "payment_status_reports" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "msg_id" text NOT NULL, "run_id" uuid NOT NULL, "sha256" text NOT NULL, "summary" jsonb NOT NULL, "imported_by" text NOT NULL, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b92871c4eb8c0d1c818dc9e9750" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_2d8ad057cda49194907574e1a8" ON "payment_status_reports" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_dc80a920aa9fe42d6ad0c93548" ON "payment_status_reports" ("municipality_id", "msg_id") `,
    );
    for (const t of TENANT_TABLES) await enableTenantRls(queryRunner, t);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of TENANT_TABLES) await disableTenantRls(queryRunner, t);
    await queryRunner.query(`DROP INDEX "public"."IDX_dc80a920aa9fe42d6ad0c93548"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2d8ad057cda49194907574e1a8"`);
    await queryRunner.query(`DROP TABLE "payment_status_reports"`);
    await queryRunner.query(`DROP TABLE "payment_settings"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a21ee5e137a566117862d533cb"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_63ef311c67b1d4ba3854fcec40"`);
    await queryRunner.query(`DROP TABLE "payment_runs"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4832581fa31302df2c0d5be7c4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8dd4221033e23674bb9c0bfa31"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2baeb42c6d3870d55745f4e88e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_274b61a20a21c58ea554d06e49"`);
    await queryRunner.query(`DROP TABLE "payment_lines"`);
  }
}
