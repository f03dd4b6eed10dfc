import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../tenancy/rls';

export class Documents1795599182814 implements MigrationInterface {
  name = 'Documents1795599182814';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "document_verifications" ("verification_code" text NOT NULL, "sha256" character(64) NOT NULL, "municipality_id" uuid NOT NULL, "document_id" uuid NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_8b6d5c27f69988ecc966daf6479" UNIQUE ("document_id"), CONSTRAINT "PK_3fe45f9b7f2e23c4233ee1aa9ac" PRIMARY KEY ("verification_code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_329304535dbd4a36fb86a16361" ON "document_verifications" ("sha256") `,
    );
    await queryRunner.query(
      `CREATE TABLE "documents" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" text NOT NULL, "step_key" text NOT NULL, "template_key" text NOT NULL, "template_version" character(64) NOT NULL, "language" character(2) NOT NULL, "title" text NOT NULL, "registration_number" text NOT NULL, "pdf" bytea NOT NULL, "sha256" character(64) NOT NULL, "size_bytes" integer NOT NULL, "signer_subject" text NOT NULL, "signer_serial" text NOT NULL, "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "verification_code" text NOT NULL, "supersedes_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_4638d33a05c25b0f48820071dfa" UNIQUE ("verification_code"), CONSTRAINT "PK_ac51aa5181ee2036f5ca482857c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_2283993712dfe00218d4fb0c55" ON "documents" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a415239138695edf2df57a3773" ON "documents" ("case_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_590001a33ce76f9d7712acba62" ON "documents" ("sha256") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_697e0a6ac66a83e6f8520e564a" ON "documents" ("supersedes_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_2392d1164be57d62843ef9cd6d" ON "documents" ("municipality_id", "case_id", "step_key") `,
    );
    await queryRunner.query(
      `ALTER TABLE "documents" ADD CONSTRAINT "FK_697e0a6ac66a83e6f8520e564ab" FOREIGN KEY ("supersedes_id") REFERENCES "documents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await enableTenantRls(queryRunner, 'documents');
    // Issued documents and their public index are append-only, for the app role and for everyone else.
    await queryRunner.query(`ALTER TABLE "documents" ALTER COLUMN "pdf" SET STORAGE EXTERNAL`);
    await queryRunner.query(
      `REVOKE UPDATE, DELETE, TRUNCATE ON "documents", "document_verifications" FROM civitas_app`,
    );
    await queryRunner.query(
      `CREATE FUNCTION refuse_document_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'issued documents are immutable (% on %): issue a correction that supersedes the document', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; END $$`,
    );
    for (const table of ['documents', 'document_verifications']) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_immutable" BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION refuse_document_change()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'documents');
    await queryRunner.query(
      `DROP TRIGGER "document_verifications_immutable" ON "document_verifications"`,
    );
    await queryRunner.query(`DROP TRIGGER "documents_immutable" ON "documents"`);
    await queryRunner.query(`DROP FUNCTION refuse_document_change()`);
    await queryRunner.query(
      `ALTER TABLE "documents" DROP CONSTRAINT "FK_697e0a6ac66a83e6f8520e564ab"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_2392d1164be57d62843ef9cd6d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_697e0a6ac66a83e6f8520e564a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_590001a33ce76f9d7712acba62"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a415239138695edf2df57a3773"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2283993712dfe00218d4fb0c55"`);
    await queryRunner.query(`DROP TABLE "documents"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_329304535dbd4a36fb86a16361"`);
    await queryRunner.query(`DROP TABLE "document_verifications"`);
  }
}
