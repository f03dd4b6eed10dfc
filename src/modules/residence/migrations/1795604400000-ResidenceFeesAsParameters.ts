import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The residence declaration fee moved to the shared effective-dated `parameters` table (editable
 * in administration). TypeORM does not generate drops of tables without an entity, so this one is
 * written by hand; it moves existing fee rows across before dropping the table.
 */
export class ResidenceFeesAsParameters1795604400000 implements MigrationInterface {
  name = 'ResidenceFeesAsParameters1795604400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO "parameters" ("country", "municipality_id", "key", "value", "unit", "valid_from", "note")
       SELECT f."country", NULL, 'residence-declaration.fee.' || f."channel", f."amount_cents" / 100.0, 'EUR', f."valid_from", COALESCE(f."note", '')
         FROM "residence_fees" f
        WHERE NOT EXISTS (SELECT 1 FROM "parameters" p WHERE p."country" = f."country" AND p."municipality_id" IS NULL
                            AND p."key" = 'residence-declaration.fee.' || f."channel" AND p."valid_from" = f."valid_from")`,
    );
    await queryRunner.query(`DROP TABLE "residence_fees"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "residence_fees" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "country" text NOT NULL, "channel" text NOT NULL, "amount_cents" integer NOT NULL, "valid_from" date NOT NULL, "note" text, CONSTRAINT "PK_f3eac5f8f36a97650111b92c691" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_92d0931f56437f5f6eb8e79a84" ON "residence_fees" ("country", "channel", "valid_from") `,
    );
  }
}
