import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * List parameters (e.g. the grounds for annulment in force, effective-dated like amounts) and the
 * ground an annulment was opened on: its code and the item as it was in force then (labels, legal
 * reference), so the decision prints what applied even after the list changes.
 */
export class ParameterListsAndAnnulmentGrounds1796580000000 implements MigrationInterface {
  name = 'ParameterListsAndAnnulmentGrounds1796580000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "parameters" ADD "items" jsonb`);
    await queryRunner.query(`ALTER TABLE "residence_annulments" ADD "ground_code" text`);
    await queryRunner.query(`ALTER TABLE "residence_annulments" ADD "ground" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "residence_annulments" DROP COLUMN "ground"`);
    await queryRunner.query(`ALTER TABLE "residence_annulments" DROP COLUMN "ground_code"`);
    await queryRunner.query(`ALTER TABLE "parameters" DROP COLUMN "items"`);
  }
}
