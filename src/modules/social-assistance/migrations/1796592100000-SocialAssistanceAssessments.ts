import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../../platform/tenancy/rls';

/** The process's means assessments (one per round) and requests for information, per municipality under RLS. */
export class SocialAssistanceAssessments1796592100000 implements MigrationInterface {
  name = 'SocialAssistanceAssessments1796592100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "social_assistance_assessments" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "application_id" uuid NOT NULL, "round" integer NOT NULL, "as_of" date NOT NULL, "result" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_social_assistance_assessments" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "IDX_99b322994faab06ad5fa7fead6" ON "social_assistance_assessments" ("municipality_id")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_sa_assessments_round" ON "social_assistance_assessments" ("case_id", "round")`,
    );
    await q.query(
      `CREATE TABLE "social_assistance_information_requests" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "round" integer NOT NULL, "question" text NOT NULL, "answer_by" date NOT NULL, "answered_at" TIMESTAMP WITH TIME ZONE, "answer" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_social_assistance_information_requests" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "IDX_b8dbb486110bf47b4e8b404cf3" ON "social_assistance_information_requests" ("municipality_id")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_sa_info_requests_round" ON "social_assistance_information_requests" ("case_id", "round")`,
    );
    await enableTenantRls(q, 'social_assistance_assessments');
    await enableTenantRls(q, 'social_assistance_information_requests');
  }

  public async down(q: QueryRunner): Promise<void> {
    await disableTenantRls(q, 'social_assistance_information_requests');
    await disableTenantRls(q, 'social_assistance_assessments');
    await q.query(`DROP TABLE "social_assistance_information_requests"`);
    await q.query(`DROP TABLE "social_assistance_assessments"`);
  }
}
