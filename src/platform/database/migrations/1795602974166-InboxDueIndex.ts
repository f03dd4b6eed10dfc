import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InboxDueIndex1795602974166 implements MigrationInterface {
  name = 'InboxDueIndex1795602974166';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_9252cf427c28da7b729777cf4a" ON "tasks" ("municipality_id", "status", "due_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_9252cf427c28da7b729777cf4a"`);
  }
}
