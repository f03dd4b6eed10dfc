import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the inbox pages walk in order and stop after one page:
 * - tasks by due date gain the task id, and cases by opening time the case id: many tasks fall due
 *   at the same instant (the end of a working day), and without the id every such group had to be
 *   read and sorted to take 50 rows;
 * - tasks by assignee gain the due date, so "mine" pages by due date instead of sorting a person's tasks;
 * - cases by stage, so a rare stage's tasks are found without reading every case.
 */
export class InboxIndexes1796287928125 implements MigrationInterface {
  name = 'InboxIndexes1796287928125';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_ed0be3c9f850b3cda08dfcf33c" ON "tasks" ("municipality_id", "status", "due_at", "id") `,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_9252cf427c28da7b729777cf4a"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_a4d6fcff14635442d58d679a82" ON "tasks" ("municipality_id", "assignee_id", "status", "due_at", "id") `,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_0be0b79f7ebb37869b62a43f30"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_a7ae3ebec76dbfaf9418e1724b" ON "cases" ("municipality_id", "opened_at", "id") `,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_1008b8b1ed0df9b06085f4d4b0"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_2fdbdb9fad22269241d968447f" ON "cases" ("municipality_id", "stage") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_2fdbdb9fad22269241d968447f"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_1008b8b1ed0df9b06085f4d4b0" ON "cases" ("municipality_id", "opened_at") `,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_a7ae3ebec76dbfaf9418e1724b"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_0be0b79f7ebb37869b62a43f30" ON "tasks" ("municipality_id", "assignee_id", "status") `,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_a4d6fcff14635442d58d679a82"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_9252cf427c28da7b729777cf4a" ON "tasks" ("municipality_id", "status", "due_at") `,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_ed0be3c9f850b3cda08dfcf33c"`);
  }
}
