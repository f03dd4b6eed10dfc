import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../roles';
import { disableTenantRls, enableTenantRls } from '../../tenancy/rls';

/**
 * The persons whose data an issued document shows (issue 12 M2): written with the document, so a
 * staff read of a certificate names its subject and everyone it lists. Per municipality (RLS) and,
 * like documents, append-only: the app role may insert and read, and the documents' trigger
 * refuses UPDATE and DELETE for everyone. Documents issued before have no rows here: their reads
 * name the case's parties, as before.
 */
export class DocumentPersons1796492696708 implements MigrationInterface {
  name = 'DocumentPersons1796492696708';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "document_persons" ("municipality_id" uuid NOT NULL, "document_id" uuid NOT NULL, "personal_code" text NOT NULL, CONSTRAINT "PK_07daee87b085bc39d01369d77ea" PRIMARY KEY ("document_id", "personal_code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_484a1fb06ab1040fdb213c66d7" ON "document_persons" ("municipality_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "document_persons" ADD CONSTRAINT "FK_60b1dffafaa3b03b18dbd8bceb7" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await enableTenantRls(queryRunner, 'document_persons');
    await queryRunner.query(
      `REVOKE UPDATE, DELETE, TRUNCATE ON "document_persons" FROM "${APP_ROLE}"`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "document_persons_immutable" BEFORE UPDATE OR DELETE ON "document_persons" FOR EACH ROW EXECUTE FUNCTION refuse_document_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "document_persons_immutable" ON "document_persons"`);
    await disableTenantRls(queryRunner, 'document_persons');
    await queryRunner.query(
      `ALTER TABLE "document_persons" DROP CONSTRAINT "FK_60b1dffafaa3b03b18dbd8bceb7"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_484a1fb06ab1040fdb213c66d7"`);
    await queryRunner.query(`DROP TABLE "document_persons"`);
  }
}
