import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 item 4, group decisions (kit `collect`): a task may be one participant's part of a
 * group decision, named by the group's step; its completion is signalled to the group's wait.
 */
export class GroupTasks1796560800000 implements MigrationInterface {
  name = 'GroupTasks1796560800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tasks" ADD "group_step" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tasks" DROP COLUMN "group_step"`);
  }
}
