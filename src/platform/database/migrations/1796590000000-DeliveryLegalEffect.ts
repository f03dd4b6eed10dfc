import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14 item 3 (legal effect of delivery): an outbox message keeps the notice key the case's run
 * waits on, the channels left to try when it fails (fallback, once), the message it replaces and
 * why, and for a decision the last day of its appeal period.
 */
export class DeliveryLegalEffect1796590000000 implements MigrationInterface {
  name = 'DeliveryLegalEffect1796590000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox_messages" ADD "notice_key" text`);
    await queryRunner.query(
      `ALTER TABLE "outbox_messages" ADD "fallback_routes" jsonb NOT NULL DEFAULT '[]'`,
    );
    await queryRunner.query(`ALTER TABLE "outbox_messages" ADD "fallback_of" uuid`);
    await queryRunner.query(`ALTER TABLE "outbox_messages" ADD "fallback_reason" text`);
    await queryRunner.query(`ALTER TABLE "outbox_messages" ADD "appeal_until" date`);
    await queryRunner.query(
      `CREATE INDEX "IDX_outbox_messages_fallback_of" ON "outbox_messages" ("fallback_of")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_outbox_messages_fallback_of"`);
    for (const c of [
      'appeal_until',
      'fallback_reason',
      'fallback_of',
      'fallback_routes',
      'notice_key',
    ])
      await queryRunner.query(`ALTER TABLE "outbox_messages" DROP COLUMN "${c}"`);
  }
}
