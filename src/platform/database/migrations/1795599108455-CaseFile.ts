import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../tenancy/rls';

export class CaseFile1795599108455 implements MigrationInterface {
  name = 'CaseFile1795599108455';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "case_counters" ("municipality_id" uuid NOT NULL, "prefix" text NOT NULL, "year" integer NOT NULL, "last" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_87e3c14dbcabd119c2b24c3112d" PRIMARY KEY ("municipality_id", "prefix", "year"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "cases" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" text NOT NULL, "process_key" text NOT NULL, "process_version" integer NOT NULL, "status" text NOT NULL DEFAULT 'open', "stage" text NOT NULL DEFAULT 'opened', "outcome" text, "applicant_ref" text, "title" text NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_264acb3048c240fb89aa34626db" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_e93d8c4215a05f24503a51d4fa" ON "cases" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_11d7874f90d6b61dea5ea859a6" ON "cases" ("municipality_id", "status") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_d4b0d363a25e165fa6b200e6c1" ON "cases" ("municipality_id", "number") `,
    );
    await queryRunner.query(
      `CREATE TABLE "tasks" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "step" text NOT NULL, "process_key" text NOT NULL, "role" text NOT NULL, "form_key" text NOT NULL, "title" text NOT NULL, "assignee_id" uuid, "status" text NOT NULL DEFAULT 'open', "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "remind_at" TIMESTAMP WITH TIME ZONE, "reminded_at" TIMESTAMP WITH TIME ZONE, "escalated_at" TIMESTAMP WITH TIME ZONE, "decision" jsonb, "completed_by" uuid, "completed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8d12ff38fcc62aaba2cab748772" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c76b21c39541e0887c9f87196a" ON "tasks" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0be0b79f7ebb37869b62a43f30" ON "tasks" ("municipality_id", "assignee_id", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_145c9c9e37a66641faace24f59" ON "tasks" ("municipality_id", "status", "role") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_e46b09a9b4d11d29f93869f7c9" ON "tasks" ("case_id", "step") `,
    );
    await queryRunner.query(
      `CREATE TABLE "timeline_events" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "kind" text NOT NULL, "actor" text NOT NULL, "data" jsonb NOT NULL, "key" text, CONSTRAINT "PK_a7267f3a55a080185192d21cd5a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ab2885643612ce70ea4b2b50de" ON "timeline_events" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_c701f08570969ce8167384ea9b" ON "timeline_events" ("case_id", "key") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_95b283de21bb5182c101a687a4" ON "timeline_events" ("case_id", "at") `,
    );
    await enableTenantRls(queryRunner, 'case_counters');
    await enableTenantRls(queryRunner, 'cases');
    await enableTenantRls(queryRunner, 'tasks');
    await enableTenantRls(queryRunner, 'timeline_events');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'timeline_events');
    await disableTenantRls(queryRunner, 'tasks');
    await disableTenantRls(queryRunner, 'cases');
    await disableTenantRls(queryRunner, 'case_counters');
    await queryRunner.query(`DROP INDEX "public"."IDX_95b283de21bb5182c101a687a4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c701f08570969ce8167384ea9b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ab2885643612ce70ea4b2b50de"`);
    await queryRunner.query(`DROP TABLE "timeline_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e46b09a9b4d11d29f93869f7c9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_145c9c9e37a66641faace24f59"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0be0b79f7ebb37869b62a43f30"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c76b21c39541e0887c9f87196a"`);
    await queryRunner.query(`DROP TABLE "tasks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d4b0d363a25e165fa6b200e6c1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_11d7874f90d6b61dea5ea859a6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e93d8c4215a05f24503a51d4fa"`);
    await queryRunner.query(`DROP TABLE "cases"`);
    await queryRunner.query(`DROP TABLE "case_counters"`);
  }
}
