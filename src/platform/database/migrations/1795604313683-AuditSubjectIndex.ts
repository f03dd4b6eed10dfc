import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditSubjectIndex1795604313683 implements MigrationInterface {
  name = 'AuditSubjectIndex1795604313683';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_1f4b9d3e84f63e0b4d0383753d" ON "audit_log" ("municipality_id", "subject_id", "seq") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_1f4b9d3e84f63e0b4d0383753d"`);
  }
}
