import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountsAndSessions1795598829666 implements MigrationInterface {
  name = 'AccountsAndSessions1795598829666';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" text, "email" text, "display_name" text NOT NULL, "password_hash" text, "personal_code" text, "oidc_issuer" text, "oidc_subject" text, "preferred_language" character varying(2) NOT NULL DEFAULT 'lv', "disabled" boolean NOT NULL DEFAULT false, "last_sign_in_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_1ea745a5c95c0520e02d91252c" CHECK ("preferred_language" IN ('lv', 'en', 'el')), CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_0a863d1a58029471108e2dad46" ON "accounts" ("username") WHERE "username" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_f1636dfef31c1fb4fa03bc4e81" ON "accounts" ("email") WHERE "email" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_920f0537284498d35b60a8f35a" ON "accounts" ("personal_code") WHERE "personal_code" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_76305055306d3d01712431ba2d" ON "accounts" ("oidc_issuer", "oidc_subject") WHERE "oidc_subject" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "role_assignments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "municipality_id" uuid NOT NULL, "role" text NOT NULL, "process_key" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_b6a68be0dd3fecb8184d3cb0ff" CHECK ("process_key" IS NULL OR "role" = 'caseworker'), CONSTRAINT "CHK_3bf989e300aef47078d722919a" CHECK ("role" IN ('citizen', 'caseworker', 'manager', 'council_secretary', 'deputy', 'administrator')), CONSTRAINT "PK_fc2df9835ac1d2a34839f113783" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_e7c9422e83023407aeb3be1c19" ON "role_assignments" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_72716c62c49df296f65db7da20" ON "role_assignments" ("account_id", "municipality_id", "role") WHERE "process_key" IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_705a7191831483a9c7259d5ed5" ON "role_assignments" ("account_id", "municipality_id", "role", "process_key") WHERE "process_key" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "http_sessions" ("sid" character varying NOT NULL, "sess" json NOT NULL, "expire" TIMESTAMP WITH TIME ZONE NOT NULL, "account_id" uuid, CONSTRAINT "PK_77c24d128e658fec0e339360acf" PRIMARY KEY ("sid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_82a4eb021081c2d56df92668d7" ON "http_sessions" ("expire") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_85ecb1882a3d9e3c607da50652" ON "http_sessions" ("account_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sign_in_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "method" text NOT NULL, "identifier" text NOT NULL DEFAULT '', "account_id" uuid, "municipality_id" uuid, "outcome" text NOT NULL, "reason" text NOT NULL DEFAULT '', "ip" text NOT NULL DEFAULT '', "user_agent" text NOT NULL DEFAULT '', CONSTRAINT "PK_b5b5e9a98dbb74ada205a0084d8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4bfc1ee9ccf75d32ccef1f81c3" ON "sign_in_attempts" ("account_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6407fb032075e202b4e278c3ad" ON "sign_in_attempts" ("identifier", "at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "role_assignments" ADD CONSTRAINT "FK_511f3e6aeeaad093cd41b36240e" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_assignments" ADD CONSTRAINT "FK_e7c9422e83023407aeb3be1c191" FOREIGN KEY ("municipality_id") REFERENCES "municipalities"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "http_sessions" ADD CONSTRAINT "FK_85ecb1882a3d9e3c607da506524" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "http_sessions" DROP CONSTRAINT "FK_85ecb1882a3d9e3c607da506524"`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_assignments" DROP CONSTRAINT "FK_e7c9422e83023407aeb3be1c191"`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_assignments" DROP CONSTRAINT "FK_511f3e6aeeaad093cd41b36240e"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_6407fb032075e202b4e278c3ad"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4bfc1ee9ccf75d32ccef1f81c3"`);
    await queryRunner.query(`DROP TABLE "sign_in_attempts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_85ecb1882a3d9e3c607da50652"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_82a4eb021081c2d56df92668d7"`);
    await queryRunner.query(`DROP TABLE "http_sessions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_705a7191831483a9c7259d5ed5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_72716c62c49df296f65db7da20"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e7c9422e83023407aeb3be1c19"`);
    await queryRunner.query(`DROP TABLE "role_assignments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_76305055306d3d01712431ba2d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_920f0537284498d35b60a8f35a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f1636dfef31c1fb4fa03bc4e81"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0a863d1a58029471108e2dad46"`);
    await queryRunner.query(`DROP TABLE "accounts"`);
  }
}
