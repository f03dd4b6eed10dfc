import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../../platform/tenancy/rls';

/** Social assistance awards (status, period, household) and their monthly amounts, per municipality under RLS. */
export class SocialAssistanceAwards1796592000000 implements MigrationInterface {
  name = 'SocialAssistanceAwards1796592000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "social_assistance_awards" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "application_id" uuid NOT NULL, "holder_code" text NOT NULL, "household_codes" jsonb NOT NULL, "status" text NOT NULL, "valid_from" date NOT NULL, "valid_until" date NOT NULL, "address_code" text, "territory" text, "state" text NOT NULL DEFAULT 'active', "stop_reason" text, "stopped_on" date, "decided_by" text NOT NULL, "decided_on" date NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_social_assistance_awards" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "IDX_0d60ea8ed3cec723b47598d442" ON "social_assistance_awards" ("municipality_id")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_sa_awards_case" ON "social_assistance_awards" ("case_id")`,
    );
    await q.query(
      `CREATE INDEX "IDX_sa_awards_holder" ON "social_assistance_awards" ("holder_code")`,
    );
    await q.query(
      `CREATE INDEX "IDX_sa_awards_state" ON "social_assistance_awards" ("municipality_id", "state", "valid_until")`,
    );
    await q.query(
      `CREATE TABLE "social_assistance_award_amounts" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "award_id" uuid NOT NULL, "case_id" uuid NOT NULL, "benefit" text NOT NULL, "monthly_cents" integer NOT NULL, "valid_from" date NOT NULL, "valid_until" date NOT NULL, "reason" text NOT NULL, "payee_kind" text NOT NULL, "payee_name" text NOT NULL, "payee_iban" text NOT NULL, "payee_reference" text, "calculation" jsonb NOT NULL, "parameters" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_social_assistance_award_amounts" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "IDX_0d3aa1720a4f56f4d1ea1aab5c" ON "social_assistance_award_amounts" ("municipality_id")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_sa_award_amounts_period" ON "social_assistance_award_amounts" ("award_id", "benefit", "valid_from")`,
    );
    await q.query(
      `CREATE INDEX "IDX_sa_award_amounts_case" ON "social_assistance_award_amounts" ("case_id")`,
    );
    await enableTenantRls(q, 'social_assistance_awards');
    await enableTenantRls(q, 'social_assistance_award_amounts');
  }

  public async down(q: QueryRunner): Promise<void> {
    await disableTenantRls(q, 'social_assistance_award_amounts');
    await disableTenantRls(q, 'social_assistance_awards');
    await q.query(`DROP TABLE "social_assistance_award_amounts"`);
    await q.query(`DROP TABLE "social_assistance_awards"`);
  }
}
