import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../../platform/tenancy/rls';

/** Records of interviews and home visits in social-assistance cases, per municipality under RLS. */
export class SocialAssistanceVisits1796600100000 implements MigrationInterface {
  name = 'SocialAssistanceVisits1796600100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "social_assistance_visits" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "visit" integer NOT NULL, "round" integer NOT NULL, "reasons" jsonb NOT NULL, "kind" text NOT NULL, "held_on" date NOT NULL, "participants" text NOT NULL, "findings" text NOT NULL, "conclusion" text NOT NULL, "recorded_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_social_assistance_visits" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "IDX_9bd53dda1a872419251972ffd9" ON "social_assistance_visits" ("municipality_id")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_sa_visits_case_visit" ON "social_assistance_visits" ("case_id", "visit")`,
    );
    await enableTenantRls(q, 'social_assistance_visits');
  }

  public async down(q: QueryRunner): Promise<void> {
    await disableTenantRls(q, 'social_assistance_visits');
    await q.query(`DROP TABLE "social_assistance_visits"`);
  }
}
