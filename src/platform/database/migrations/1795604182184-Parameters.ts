import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Parameters1795604182184 implements MigrationInterface {
  name = 'Parameters1795604182184';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "parameters" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "country" character(2) NOT NULL, "municipality_id" uuid, "key" text NOT NULL, "value" numeric(14,4) NOT NULL, "unit" text NOT NULL, "valid_from" date NOT NULL, "valid_to" date, "note" text NOT NULL DEFAULT '', "created_by" text NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6b03a26baa3161f87fa87588859" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_cf5f9d3bd39f605b877f66fcf5" ON "parameters" ("country", "key", "valid_from") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_cf5f9d3bd39f605b877f66fcf5"`);
    await queryRunner.query(`DROP TABLE "parameters"`);
  }
}
