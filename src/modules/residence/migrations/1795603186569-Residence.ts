import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../../platform/tenancy/rls';

export class Residence1795603186569 implements MigrationInterface {
  name = 'Residence1795603186569';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "residence_territories" ("municipality_id" uuid NOT NULL, "register_municipality" text NOT NULL, CONSTRAINT "PK_80c9f915acc5ef51f8c184102ad" PRIMARY KEY ("municipality_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "residence_saved_lists" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "name" text NOT NULL, "list" text NOT NULL, "filters" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_84ffc327e0d8c6b0bf44f878059" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_8f8f983200a98bc45e1edeb0dc" ON "residence_saved_lists" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_7608f332899e3f24d7e303bb9c" ON "residence_saved_lists" ("municipality_id", "account_id", "name") `,
    );
    await queryRunner.query(
      `CREATE TABLE "residence_declarations" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid, "submission_key" text NOT NULL, "channel" text NOT NULL, "applicant_code" text NOT NULL, "person_codes" jsonb NOT NULL, "address_code" text NOT NULL, "address_text" text NOT NULL, "basis" text NOT NULL, "basis_note" text, "contact_email" text, "lang" text NOT NULL DEFAULT 'lv', "fee_cents" integer NOT NULL, "status" text NOT NULL DEFAULT 'submitted', "declared_on" date NOT NULL, "registered_at" TIMESTAMP WITH TIME ZONE, "entered_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_60b8f7a04ea1d5c10e2484bf9bb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_d33e1fb98cfc53475a1626f79e" ON "residence_declarations" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b64079ac256b0dcca8a621a45d" ON "residence_declarations" ("address_code") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ff69c8ce8d9b11367010c39e39" ON "residence_declarations" ("municipality_id", "submission_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "residence_attachments" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "file_name" text NOT NULL, "mime_type" text NOT NULL, "size_bytes" integer NOT NULL, "sha256" text NOT NULL, "content" bytea NOT NULL, "uploaded_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d4b98079ae963924d692b4e82af" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_2ef7a22ad904e3533d0731b904" ON "residence_attachments" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_58989ddc88f1a07e0616541d93" ON "residence_attachments" ("case_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "residence_annulments" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid, "person_code" text NOT NULL, "residence_id" text NOT NULL, "address_code" text NOT NULL, "declared_on" date NOT NULL, "initiated_by" text NOT NULL, "applicant_code" text, "grounds" text NOT NULL, "status" text NOT NULL DEFAULT 'open', "annulled_from" date, "annulled_codes" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_98d5e03500a3800db7679d47512" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f2177ab16a658a952e1c77eec8" ON "residence_annulments" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ffc344fd5a8978b1158fcd2aa3" ON "residence_annulments" ("person_code", "status") `,
    );
    await queryRunner.query(
      `CREATE TABLE "residence_fees" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "country" text NOT NULL, "channel" text NOT NULL, "amount_cents" integer NOT NULL, "valid_from" date NOT NULL, "note" text, CONSTRAINT "PK_f3eac5f8f36a97650111b92c691" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_92d0931f56437f5f6eb8e79a84" ON "residence_fees" ("country", "channel", "valid_from") `,
    );
    await enableTenantRls(queryRunner, 'residence_declarations');
    await enableTenantRls(queryRunner, 'residence_attachments');
    await enableTenantRls(queryRunner, 'residence_annulments');
    await enableTenantRls(queryRunner, 'residence_territories');
    await enableTenantRls(queryRunner, 'residence_saved_lists');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'residence_saved_lists');
    await disableTenantRls(queryRunner, 'residence_territories');
    await disableTenantRls(queryRunner, 'residence_annulments');
    await disableTenantRls(queryRunner, 'residence_attachments');
    await disableTenantRls(queryRunner, 'residence_declarations');
    await queryRunner.query(`DROP INDEX "public"."IDX_92d0931f56437f5f6eb8e79a84"`);
    await queryRunner.query(`DROP TABLE "residence_fees"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ffc344fd5a8978b1158fcd2aa3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f2177ab16a658a952e1c77eec8"`);
    await queryRunner.query(`DROP TABLE "residence_annulments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_58989ddc88f1a07e0616541d93"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2ef7a22ad904e3533d0731b904"`);
    await queryRunner.query(`DROP TABLE "residence_attachments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ff69c8ce8d9b11367010c39e39"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b64079ac256b0dcca8a621a45d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d33e1fb98cfc53475a1626f79e"`);
    await queryRunner.query(`DROP TABLE "residence_declarations"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7608f332899e3f24d7e303bb9c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8f8f983200a98bc45e1edeb0dc"`);
    await queryRunner.query(`DROP TABLE "residence_saved_lists"`);
    await queryRunner.query(`DROP TABLE "residence_territories"`);
  }
}
