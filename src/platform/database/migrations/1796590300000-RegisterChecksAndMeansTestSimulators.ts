import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '../../tenancy/rls';

/**
 * Issue 15 part 2, register checks: `register_checks` keeps each register's answer about a person
 * for a case (request, result, flags against the declaration, status, attempts), tenant-scoped
 * with RLS like the other case tables; the sim_* tables hold the means-test registers'
 * simulated data (VSAA, VID, NVA, VDEĀVK, CSDD, SPOLIS), national and so not tenant-scoped.
 */
export class RegisterChecksAndMeansTestSimulators1796590300000 implements MigrationInterface {
  name = 'RegisterChecksAndMeansTestSimulators1796590300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "register_checks" ("municipality_id" uuid NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "check_key" text NOT NULL, "register" text NOT NULL, "subject_code" text NOT NULL, "request" jsonb NOT NULL, "result" jsonb, "flags" jsonb NOT NULL, "declared" jsonb, "status" text NOT NULL, "error" text, "attempts" integer NOT NULL, "checked_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_register_checks_case_key" UNIQUE ("case_id", "check_key"), CONSTRAINT "PK_register_checks" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bcb9b32abe2f70f68aac8fac79" ON "register_checks" ("municipality_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_register_checks_register" ON "register_checks" ("register") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sim_assistance_records" ("ref" text NOT NULL, "personal_code" text NOT NULL, "municipality" text NOT NULL, "benefit" text NOT NULL, "status" text NOT NULL, "decided_on" date NOT NULL, "period_from" date, "period_to" date, "monthly_cents" integer, CONSTRAINT "PK_717f6192e7ee8c54ebf81653662" PRIMARY KEY ("ref"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_2a407c0fee5a0bf693d871f864" ON "sim_assistance_records" ("personal_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sim_disabilities" ("ref" text NOT NULL, "personal_code" text NOT NULL, "kind" text NOT NULL, "disability_group" integer, "valid_from" date NOT NULL, "valid_until" date, CONSTRAINT "PK_b9ceeb828166258130e7011670b" PRIMARY KEY ("ref"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bc56877ff5ad362beb3b770a68" ON "sim_disabilities" ("personal_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sim_unemployment_spells" ("ref" text NOT NULL, "personal_code" text NOT NULL, "registered_from" date NOT NULL, "registered_to" date, CONSTRAINT "PK_5b093ce1ac1ec5e1f10d884646e" PRIMARY KEY ("ref"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7477ce31f2ead352fa72fe97d8" ON "sim_unemployment_spells" ("personal_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sim_employment_income" ("ref" text NOT NULL, "personal_code" text NOT NULL, "employer_code" text NOT NULL, "employer_name" text NOT NULL, "gross_cents" integer NOT NULL, "tax_cents" integer NOT NULL, "valid_from" date NOT NULL, "valid_to" date, CONSTRAINT "PK_235d3eeb0a1fbadc141358c340d" PRIMARY KEY ("ref"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_278a4a2a734a56f91c879d198c" ON "sim_employment_income" ("personal_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sim_social_insurance_benefits" ("ref" text NOT NULL, "personal_code" text NOT NULL, "kind" text NOT NULL, "monthly_cents" integer NOT NULL, "valid_from" date NOT NULL, "valid_to" date, CONSTRAINT "PK_da558a82a391f83f9a41f14b253" PRIMARY KEY ("ref"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_389381165facbc189ef1838fef" ON "sim_social_insurance_benefits" ("personal_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sim_vehicles" ("ref" text NOT NULL, "registration_number" text NOT NULL, "owner_code" text NOT NULL, "category" text NOT NULL, "make" text NOT NULL, "model" text NOT NULL, "first_registered_year" integer NOT NULL, "owned_from" date NOT NULL, "owned_to" date, CONSTRAINT "PK_33f7ed3ff735acd481308d0013b" PRIMARY KEY ("ref"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b4778b45c58c04c0d9257c299f" ON "sim_vehicles" ("owner_code") `,
    );
    await queryRunner.query(
      `ALTER TABLE "register_checks" ADD CONSTRAINT "FK_e2619c7fbb0279710d4f868ba9d" FOREIGN KEY ("municipality_id", "case_id") REFERENCES "cases"("municipality_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await enableTenantRls(queryRunner, 'register_checks');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await disableTenantRls(queryRunner, 'register_checks');
    await queryRunner.query(
      `ALTER TABLE "register_checks" DROP CONSTRAINT "FK_e2619c7fbb0279710d4f868ba9d"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_b4778b45c58c04c0d9257c299f"`);
    await queryRunner.query(`DROP TABLE "sim_vehicles"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_389381165facbc189ef1838fef"`);
    await queryRunner.query(`DROP TABLE "sim_social_insurance_benefits"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_278a4a2a734a56f91c879d198c"`);
    await queryRunner.query(`DROP TABLE "sim_employment_income"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7477ce31f2ead352fa72fe97d8"`);
    await queryRunner.query(`DROP TABLE "sim_unemployment_spells"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bc56877ff5ad362beb3b770a68"`);
    await queryRunner.query(`DROP TABLE "sim_disabilities"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2a407c0fee5a0bf693d871f864"`);
    await queryRunner.query(`DROP TABLE "sim_assistance_records"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_register_checks_register"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bcb9b32abe2f70f68aac8fac79"`);
    await queryRunner.query(`DROP TABLE "register_checks"`);
  }
}
