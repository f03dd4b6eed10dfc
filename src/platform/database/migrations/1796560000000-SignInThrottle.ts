import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../roles';

/**
 * Failed sign-in counters shared by every app process (issue 12 M5): one row per bucket (a client
 * address, or a username's hash), updated in place, so a flood of failures adds no rows per try.
 * Rows whose window has passed are pruned by the app.
 */
export class SignInThrottle1796560000000 implements MigrationInterface {
  name = 'SignInThrottle1796560000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "sign_in_throttle" (
      "bucket" text PRIMARY KEY,
      "failures" integer NOT NULL,
      "refused" integer NOT NULL DEFAULT 0,
      "window_start" timestamptz NOT NULL,
      "last_failure_at" timestamptz NOT NULL,
      "blocked_until" timestamptz
    )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_sign_in_throttle_last_failure" ON "sign_in_throttle" ("last_failure_at")`,
    );
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON "sign_in_throttle" TO "${APP_ROLE}"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sign_in_throttle"`);
  }
}
