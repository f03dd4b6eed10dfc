import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's due-date index gains the task id: many tasks fall due at the same instant (the end
 * of a working day), and without the id every such group had to be read and sorted to take 50.
 */
export class InboxDueTieIndex1796287928125 implements MigrationInterface {
  name = 'InboxDueTieIndex1796287928125';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_ed0be3c9f850b3cda08dfcf33c" ON "tasks" ("municipality_id", "status", "due_at", "id") `);
    await queryRunner.query(`DROP INDEX "public"."IDX_9252cf427c28da7b729777cf4a"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_9252cf427c28da7b729777cf4a" ON "tasks" ("municipality_id", "status", "due_at") `);
    await queryRunner.query(`DROP INDEX "public"."IDX_ed0be3c9f850b3cda08dfcf33c"`);
  }
}
