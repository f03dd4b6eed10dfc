import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../../platform/tenancy/rls';

/** Social assistance applications (drafts and submitted) and their uploaded bills, per municipality under RLS. */
export class SocialAssistanceApplications1796591234000 implements MigrationInterface {
  name = 'SocialAssistanceApplications1796591234000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "social_assistance_applications" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "status" text NOT NULL DEFAULT 'draft', "channel" text NOT NULL, "applicant_code" text NOT NULL, "applicant_name" text NOT NULL, "income_months" jsonb NOT NULL, "data" jsonb NOT NULL, "steps_done" jsonb NOT NULL, "truth_declared" boolean NOT NULL DEFAULT false, "lang" text NOT NULL DEFAULT 'lv', "entered_by" uuid NOT NULL, "submitted_by" uuid, "submitted_at" TIMESTAMP WITH TIME ZONE, "applied_on" date, "case_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9c321ef03411bd0faccb1398627" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_85e60c3e5b4b181a2f40dc4688" ON "social_assistance_applications" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f50843e304ac44a2f05ff3a504" ON "social_assistance_applications" ("applicant_code") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_7494ab495519a324cd23414c34" ON "social_assistance_applications" ("municipality_id", "applicant_code") WHERE "status" = 'draft'`,
    );
    await queryRunner.query(
      `CREATE TABLE "social_assistance_bills" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "application_id" uuid NOT NULL, "cost_kind" text, "file_name" text NOT NULL, "mime_type" text NOT NULL, "size_bytes" integer NOT NULL, "sha256" text NOT NULL, "content" bytea NOT NULL, "uploaded_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7dcf824520a968d88f8cdc24668" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f1b1b3beb6f41f5629846575d1" ON "social_assistance_bills" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6f6cd3dfc3fa83fd4895554443" ON "social_assistance_bills" ("application_id") `,
    );
    await enableTenantRls(queryRunner, 'social_assistance_applications');
    await enableTenantRls(queryRunner, 'social_assistance_bills');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'social_assistance_bills');
    await disableTenantRls(queryRunner, 'social_assistance_applications');
    await queryRunner.query(`DROP INDEX "public"."IDX_6f6cd3dfc3fa83fd4895554443"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f1b1b3beb6f41f5629846575d1"`);
    await queryRunner.query(`DROP TABLE "social_assistance_bills"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7494ab495519a324cd23414c34"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f50843e304ac44a2f05ff3a504"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_85e60c3e5b4b181a2f40dc4688"`);
    await queryRunner.query(`DROP TABLE "social_assistance_applications"`);
  }
}
