import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../tenancy/rls';

export class WorkspacePages1795600940683 implements MigrationInterface {
  name = 'WorkspacePages1795600940683';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "form_drafts" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "form_key" text NOT NULL, "data" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_752a2ab92f835b17d844181627b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6b4b5ca8b57f73dd934f7c888c" ON "form_drafts" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_d780a002754ae5ee320b3a1590" ON "form_drafts" ("municipality_id", "account_id", "form_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "information_attachments" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "request_id" uuid NOT NULL, "case_id" uuid NOT NULL, "file_name" text NOT NULL, "mime_type" text NOT NULL, "size_bytes" integer NOT NULL, "sha256" text NOT NULL, "content" bytea NOT NULL, "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cf8cd2d350bb9df5ee0a0b3aa7d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_19dfc901273e8fd2df3b498b0e" ON "information_attachments" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_beded7897fc44c1aea62294d97" ON "information_attachments" ("municipality_id", "request_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "information_requests" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "question" text NOT NULL, "status" text NOT NULL DEFAULT 'open', "answer_by" date NOT NULL, "requested_by" text NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "answer" text, "answered_by" text, "answered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6c42fdd3cb4a12dfa4f4107e2e2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_78a032b3d45e526f81cc19b82e" ON "information_requests" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_20585c04ce2e0de4b6bb0ee410" ON "information_requests" ("municipality_id", "case_id") `,
    );
    await enableTenantRls(queryRunner, 'form_drafts');
    await enableTenantRls(queryRunner, 'information_attachments');
    await enableTenantRls(queryRunner, 'information_requests');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'form_drafts');
    await disableTenantRls(queryRunner, 'information_attachments');
    await disableTenantRls(queryRunner, 'information_requests');
    await queryRunner.query(`DROP INDEX "public"."IDX_20585c04ce2e0de4b6bb0ee410"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_78a032b3d45e526f81cc19b82e"`);
    await queryRunner.query(`DROP TABLE "information_requests"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_beded7897fc44c1aea62294d97"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_19dfc901273e8fd2df3b498b0e"`);
    await queryRunner.query(`DROP TABLE "information_attachments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d780a002754ae5ee320b3a1590"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6b4b5ca8b57f73dd934f7c888c"`);
    await queryRunner.query(`DROP TABLE "form_drafts"`);
  }
}
