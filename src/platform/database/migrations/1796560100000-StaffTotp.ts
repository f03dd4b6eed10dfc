import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../roles';

/**
 * Staff second factor (issue 12 M5): the TOTP secret encrypted (AES-256-GCM), the last time step
 * accepted (a code is good once), and SHA-256 hashes of the unused recovery codes. A row without
 * `enabled_at` is an enrolment not yet confirmed with a code.
 */
export class StaffTotp1796560100000 implements MigrationInterface {
  name = 'StaffTotp1796560100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "staff_totp" (
      "account_id" uuid PRIMARY KEY REFERENCES "accounts"("id") ON DELETE CASCADE,
      "secret_encrypted" text NOT NULL,
      "enabled_at" timestamptz,
      "last_step" bigint,
      "recovery_hashes" text[] NOT NULL DEFAULT '{}',
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON "staff_totp" TO "${APP_ROLE}"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "staff_totp"`);
  }
}
