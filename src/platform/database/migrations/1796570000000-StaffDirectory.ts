import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../roles';

/**
 * Issue 14 item 6, LDAP staff directory: each municipality's directory settings (the service
 * password encrypted), and on accounts the directory entry they were provisioned from.
 */
export class StaffDirectory1796570000000 implements MigrationInterface {
  name = 'StaffDirectory1796570000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "directory_settings" ("municipality_id" uuid NOT NULL, "enabled" boolean NOT NULL DEFAULT false, "url" text NOT NULL DEFAULT '', "ca_certificate" text NOT NULL DEFAULT '', "bind_dn" text NOT NULL DEFAULT '', "bind_password_encrypted" text, "user_dn_template" text NOT NULL DEFAULT '', "user_base_dn" text NOT NULL DEFAULT '', "user_filter" text NOT NULL DEFAULT '(&(objectClass=inetOrgPerson)(uid={login}))', "group_base_dn" text NOT NULL DEFAULT '', "group_member_attribute" text NOT NULL DEFAULT 'member', "disabled_filter" text NOT NULL DEFAULT '(pwdAccountLockedTime=*)', "disabled_group_dn" text NOT NULL DEFAULT '', "role_mappings" jsonb NOT NULL DEFAULT '[]', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d6cfa68e2bdeae4f5a663e8dbd8" PRIMARY KEY ("municipality_id"))`,
    );
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON "directory_settings" TO "${APP_ROLE}"`,
    );
    await queryRunner.query(`ALTER TABLE "accounts" ADD "directory_municipality_id" uuid`);
    await queryRunner.query(`ALTER TABLE "accounts" ADD "directory_entry_id" text`);
    await queryRunner.query(`ALTER TABLE "accounts" ADD "directory_login" text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_73a467d466f99451fde91cc7b1" ON "accounts" ("directory_municipality_id", "directory_entry_id") WHERE "directory_entry_id" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_73a467d466f99451fde91cc7b1"`);
    await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "directory_login"`);
    await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "directory_entry_id"`);
    await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "directory_municipality_id"`);
    await queryRunner.query(`DROP TABLE "directory_settings"`);
  }
}
