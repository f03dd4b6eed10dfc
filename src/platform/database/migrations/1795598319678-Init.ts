import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../tenancy/rls';

export class Init1795598319678 implements MigrationInterface {
  name = 'Init1795598319678';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The tenant of the current transaction, set with SET LOCAL by TenantDb; NULL when unset.
    await queryRunner.query(
      `CREATE FUNCTION current_tenant() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.municipality_id', true), '')::uuid $$`,
    );
    await queryRunner.query(
      `CREATE TABLE "persons" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "personal_code" text NOT NULL, "given_name" text NOT NULL, "family_name" text NOT NULL, "birth_date" date, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_74278d8812a049233ce41440ac7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_41e2d2bc320b7a2cc3a0850b28" ON "persons" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_5245eed14ce0b05885f71a698e" ON "persons" ("municipality_id", "personal_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "municipalities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "country" character(2) NOT NULL, "registration_number" text NOT NULL DEFAULT '', "address" text NOT NULL DEFAULT '', "e_address" text NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_9e0e960d7323bb120dc5e915dd8" UNIQUE ("code"), CONSTRAINT "PK_9c4573349577306f221dda4d924" PRIMARY KEY ("id"))`,
    );
    await enableTenantRls(queryRunner, 'persons');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'persons');
    await queryRunner.query(`DROP TABLE "municipalities"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5245eed14ce0b05885f71a698e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_41e2d2bc320b7a2cc3a0850b28"`);
    await queryRunner.query(`DROP TABLE "persons"`);
    await queryRunner.query(`DROP FUNCTION current_tenant()`);
  }
}
