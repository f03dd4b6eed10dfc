import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../tenancy/rls';

export class DeadlinesAndDelivery1795598852237 implements MigrationInterface {
  name = 'DeadlinesAndDelivery1795598852237';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "calendar_exceptions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "country" character(2) NOT NULL, "municipality_id" uuid, "date" date NOT NULL, "kind" text NOT NULL, "note" text NOT NULL DEFAULT '', "created_by" text NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_76dcb30fd3912d61dfd9d91a222" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bf0e2b96ff7cd13b7a66935cd6" ON "calendar_exceptions" ("country", "date") `,
    );
    await queryRunner.query(
      `CREATE TABLE "deadline_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "country" character(2) NOT NULL, "process_key" text NOT NULL, "rule_key" text NOT NULL, "basis" text NOT NULL, "unit" text NOT NULL, "amount" integer NOT NULL, "max_extension" integer, "warn_before" integer NOT NULL, "on_resume" text NOT NULL DEFAULT 'shift', "valid_from" date NOT NULL, "valid_to" date, "note" text NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4743ed955f2bc2c60bf01c28942" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_6c1af9e4dcc18cb4eafec18ff3" ON "deadline_rules" ("country", "rule_key", "valid_from") `,
    );
    await queryRunner.query(
      `CREATE TABLE "deadlines" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" text NOT NULL, "key" text NOT NULL, "process_key" text NOT NULL, "rule_id" uuid NOT NULL, "rule_key" text NOT NULL, "basis" text NOT NULL, "country" character(2) NOT NULL, "unit" text NOT NULL, "amount" integer NOT NULL, "max_extension" integer, "warn_before" integer NOT NULL, "on_resume" text NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "started_on" date NOT NULL, "due_on" date NOT NULL, "max_due_on" date, "warn_on" date NOT NULL, "status" text NOT NULL, "pauses" jsonb NOT NULL DEFAULT '[]', "extensions" jsonb NOT NULL DEFAULT '[]', "met_at" TIMESTAMP WITH TIME ZONE, "warned_at" TIMESTAMP WITH TIME ZONE, "escalated_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a9b8551c028a78298641a8e3470" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_392c17f192cd7efb4e9fae9599" ON "deadlines" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f6b228c415efb9cb25361c98ea" ON "deadlines" ("municipality_id", "status", "due_on") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_25d218fd7d6b0e86e65b9dfce6" ON "deadlines" ("municipality_id", "case_id", "key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "alerts" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "severity" text NOT NULL, "case_id" text, "subject_type" text NOT NULL, "subject_id" text NOT NULL, "message_key" text NOT NULL, "params" jsonb NOT NULL DEFAULT '{}', "dedupe_key" text NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_60f895662df096bfcdfab7f4b96" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c161a895721f81a5df519d26f9" ON "alerts" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7f12347fc04cde2d314b326d76" ON "alerts" ("municipality_id", "acknowledged_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_22ca5bbaf2d614819746fe3885" ON "alerts" ("municipality_id", "dedupe_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "outbox_messages" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" text, "channel" text NOT NULL, "purpose" text NOT NULL DEFAULT 'other', "recipient" text NOT NULL, "subject" text NOT NULL, "body" text NOT NULL, "lang" character(2) NOT NULL DEFAULT 'lv', "attachments" jsonb NOT NULL DEFAULT '[]', "idempotency_key" text NOT NULL, "status" text NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "max_attempts" integer NOT NULL, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "claimed_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "provider_message_id" text, "receipt" jsonb, "sent_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, "deemed_notified_on" date, "dead_at" TIMESTAMP WITH TIME ZONE, "history" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0171348f527c64b137e4d4f5b66" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_fd6bf819b3ba7f5df1a332b899" ON "outbox_messages" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_026b59e1ff189e25edecb09f84" ON "outbox_messages" ("status", "next_attempt_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_4110e7e34810c349751be42c50" ON "outbox_messages" ("municipality_id", "idempotency_key") `,
    );
    await enableTenantRls(queryRunner, 'deadlines');
    await enableTenantRls(queryRunner, 'alerts');
    await enableTenantRls(queryRunner, 'outbox_messages');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'outbox_messages');
    await disableTenantRls(queryRunner, 'alerts');
    await disableTenantRls(queryRunner, 'deadlines');
    await queryRunner.query(`DROP INDEX "public"."IDX_4110e7e34810c349751be42c50"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_026b59e1ff189e25edecb09f84"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fd6bf819b3ba7f5df1a332b899"`);
    await queryRunner.query(`DROP TABLE "outbox_messages"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_22ca5bbaf2d614819746fe3885"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7f12347fc04cde2d314b326d76"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c161a895721f81a5df519d26f9"`);
    await queryRunner.query(`DROP TABLE "alerts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_25d218fd7d6b0e86e65b9dfce6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f6b228c415efb9cb25361c98ea"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_392c17f192cd7efb4e9fae9599"`);
    await queryRunner.query(`DROP TABLE "deadlines"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6c1af9e4dcc18cb4eafec18ff3"`);
    await queryRunner.query(`DROP TABLE "deadline_rules"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bf0e2b96ff7cd13b7a66935cd6"`);
    await queryRunner.query(`DROP TABLE "calendar_exceptions"`);
  }
}
