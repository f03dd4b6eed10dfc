import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../tenancy/rls';

export class DocumentRegisters1796479502380 implements MigrationInterface {
  name = 'DocumentRegisters1796479502380';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "document_counters" ("municipality_id" uuid NOT NULL, "register" text NOT NULL, "year" integer NOT NULL, "last" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_250c1e924207084e78e947d2ed8" PRIMARY KEY ("municipality_id", "register", "year"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "document_settings" ("municipality_id" uuid NOT NULL, "second_language" character(2), CONSTRAINT "PK_10b37b3d124ea008897a9f65724" PRIMARY KEY ("municipality_id"))`,
    );
    await enableTenantRls(queryRunner, 'document_counters');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'document_counters');
    await queryRunner.query(`DROP TABLE "document_settings"`);
    await queryRunner.query(`DROP TABLE "document_counters"`);
  }
}
