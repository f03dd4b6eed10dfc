import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The inbox's stage filter and the case list by stage find a stage's cases without reading every case. */
export class CaseStageIndex1796288400000 implements MigrationInterface {
  name = 'CaseStageIndex1796288400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_2fdbdb9fad22269241d968447f" ON "cases" ("municipality_id", "stage") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_2fdbdb9fad22269241d968447f"`);
  }
}
