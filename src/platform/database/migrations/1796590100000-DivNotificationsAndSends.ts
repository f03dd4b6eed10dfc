import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../roles';

/**
 * Issue 14, e-adrese (DIV) durability: notifications fetched from DIV are stored before they are
 * confirmed (the DIV notification id unique), and each send's attempt is journalled, so a restart
 * neither loses a notification nor sends a message twice. Both tables belong to the deployment's
 * DIV connection (no municipality, no personal data; see PgNotificationSink).
 */
export class DivNotificationsAndSends1796590100000 implements MigrationInterface {
  name = 'DivNotificationsAndSends1796590100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "div_notifications" (
      "id" text PRIMARY KEY,
      "type" text NOT NULL,
      "created_on" text NOT NULL,
      "message_id" text NOT NULL,
      "message_client_id" text,
      "message_status" text,
      "status_code" text,
      "status_text" text,
      "sender" text,
      "recorded_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_div_notifications_message" ON "div_notifications" ("message_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_div_notifications_client_ref" ON "div_notifications" ("message_client_id")`,
    );
    await queryRunner.query(`CREATE TABLE "div_sends" (
      "sender" text NOT NULL,
      "sender_ref" text NOT NULL,
      "state" text NOT NULL CHECK ("state" IN ('sending', 'sent', 'refused')),
      "message_id" text,
      "attempt_at" timestamptz NOT NULL,
      "sent_at" timestamptz,
      PRIMARY KEY ("sender", "sender_ref")
    )`);
    for (const table of ['div_notifications', 'div_sends'])
      await queryRunner.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON "${table}" TO "${APP_ROLE}"`,
      );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "div_sends"`);
    await queryRunner.query(`DROP TABLE "div_notifications"`);
  }
}
