import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CaseOpenedIndex1796206183246 implements MigrationInterface {
  name = 'CaseOpenedIndex1796206183246';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_1008b8b1ed0df9b06085f4d4b0" ON "cases" ("municipality_id", "opened_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_1008b8b1ed0df9b06085f4d4b0"`);
  }
}
