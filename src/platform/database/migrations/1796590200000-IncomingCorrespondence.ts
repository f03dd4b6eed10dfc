import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../tenancy/rls';

/**
 * Issue 14 item 4, incoming e-address messages: one row per DIV message id in the addressed
 * municipality (unique, so a message listed or fetched twice is stored once), and its files.
 * Both hold resident data: row-level security per municipality.
 */
export class IncomingCorrespondence1796590200000 implements MigrationInterface {
  name = 'IncomingCorrespondence1796590200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "incoming_messages" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "div_message_id" text NOT NULL, "sender_e_address" text NOT NULL, "sender_code" text, "sender_ref" text NOT NULL, "subject" text NOT NULL, "body" text NOT NULL, "references" jsonb NOT NULL DEFAULT '[]', "status" text NOT NULL DEFAULT 'received', "case_id" uuid, "routing_note" text, "signal" jsonb, "signalled_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "handled_by" uuid, "handled_at" TIMESTAMP WITH TIME ZONE, "handling_note" text, "sent_on" TIMESTAMP WITH TIME ZONE NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d48ff7816cc9632fb6436dc21b4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a758cfbee684d4e58580fe344c" ON "incoming_messages" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0a9fa7f05ff5cb703bd2b21a5e" ON "incoming_messages" ("municipality_id", "status", "received_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_c50f3b373b790c9b435423bf70" ON "incoming_messages" ("municipality_id", "div_message_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "incoming_message_files" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "message_id" uuid NOT NULL, "file_name" text NOT NULL, "mime_type" text NOT NULL, "size_bytes" integer NOT NULL, "sha256" text NOT NULL, "content" bytea NOT NULL, CONSTRAINT "PK_beddacdf2b77e61e824112fcfcb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0c30a1d1d42daa8acdd0af1a09" ON "incoming_message_files" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_801c4e9eca10cd02c79e1e0434" ON "incoming_message_files" ("municipality_id", "message_id") `,
    );
    await enableTenantRls(queryRunner, 'incoming_messages');
    await enableTenantRls(queryRunner, 'incoming_message_files');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'incoming_message_files');
    await disableTenantRls(queryRunner, 'incoming_messages');
    await queryRunner.query(`DROP TABLE "incoming_message_files"`);
    await queryRunner.query(`DROP TABLE "incoming_messages"`);
  }
}
