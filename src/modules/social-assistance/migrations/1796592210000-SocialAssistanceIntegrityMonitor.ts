import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../../platform/tenancy/rls';

/** The integrity monitor's findings about awards and its daily runs, per municipality under RLS. */
export class SocialAssistanceIntegrityMonitor1796592210000 implements MigrationInterface {
  name = 'SocialAssistanceIntegrityMonitor1796592210000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "social_assistance_award_findings" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "award_id" uuid NOT NULL, "case_id" uuid NOT NULL, "kind" text NOT NULL, "details" jsonb NOT NULL, "found_on" date NOT NULL, "status" text NOT NULL DEFAULT 'open', "task_id" uuid, "resolved_by" text, "resolved_at" TIMESTAMP WITH TIME ZONE, "resolution" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_sa_award_findings" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "IDX_f0107182fa7446f293f27b9065" ON "social_assistance_award_findings" ("municipality_id")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_sa_award_findings_award_kind" ON "social_assistance_award_findings" ("award_id", "kind")`,
    );
    await q.query(
      `CREATE INDEX "IDX_sa_award_findings_status" ON "social_assistance_award_findings" ("municipality_id", "status")`,
    );
    await q.query(
      `CREATE TABLE "social_assistance_monitor_runs" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "run_date" date NOT NULL, "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, "checked" integer NOT NULL DEFAULT '0', "found" integer NOT NULL DEFAULT '0', "unavailable" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_sa_monitor_runs" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "IDX_3a1c7f935cdeda19e1e3855b89" ON "social_assistance_monitor_runs" ("municipality_id")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_sa_monitor_runs_day" ON "social_assistance_monitor_runs" ("municipality_id", "run_date")`,
    );
    await enableTenantRls(q, 'social_assistance_award_findings');
    await enableTenantRls(q, 'social_assistance_monitor_runs');
  }

  public async down(q: QueryRunner): Promise<void> {
    await disableTenantRls(q, 'social_assistance_monitor_runs');
    await disableTenantRls(q, 'social_assistance_award_findings');
    await q.query(`DROP TABLE "social_assistance_monitor_runs"`);
    await q.query(`DROP TABLE "social_assistance_award_findings"`);
  }
}
