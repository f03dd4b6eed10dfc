import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RegisterSimulatorsAndPersonSearch1795600729991 implements MigrationInterface {
  name = 'RegisterSimulatorsAndPersonSearch1795600729991';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sim_addresses" ("code" text NOT NULL, "kind" text NOT NULL, "parent_code" text, "municipality" text NOT NULL, "territory" text NOT NULL, "street" text, "house" text NOT NULL, "apartment" text, "postcode" text NOT NULL, "full_text" text NOT NULL, "search_text" text COLLATE "C" NOT NULL, CONSTRAINT "PK_7c6135ea1b2dd53028f0484e381" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_14a28a2901822120c8d01369d8" ON "sim_addresses" ("parent_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sim_persons" ("personal_code" text NOT NULL, "given_name" text NOT NULL, "family_name" text NOT NULL, "given_name_norm" text COLLATE "C" NOT NULL, "family_name_norm" text COLLATE "C" NOT NULL, "sex" character(1) NOT NULL, "birth_date" date NOT NULL, "deceased_on" date, CONSTRAINT "PK_2a3fd8217aae5d8a9746fa6f99c" PRIMARY KEY ("personal_code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_sim_persons_by_given" ON "sim_persons" ("given_name_norm", "family_name_norm", "personal_code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_sim_persons_by_family" ON "sim_persons" ("family_name_norm", "given_name_norm", "personal_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sim_family_links" ("personal_code" text NOT NULL, "related_code" text NOT NULL, "kind" text NOT NULL, CONSTRAINT "PK_28d9f2cbb4571b044311ee23818" PRIMARY KEY ("personal_code", "related_code", "kind"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7c4bc5e889ad385d4f52a441d5" ON "sim_family_links" ("related_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sim_residences" ("id" BIGSERIAL NOT NULL, "personal_code" text NOT NULL, "address_code" text NOT NULL, "valid_from" date NOT NULL, "valid_to" date, "status" text NOT NULL, "basis" text, "request_ref" text, "annulled_from" date, CONSTRAINT "PK_b5b2a6a4f630be1d80a30bd38bf" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_4451c7b1d1eef4dd2fb7c54e5e" ON "sim_residences" ("request_ref") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_81f22a392171ac802ef001e136" ON "sim_residences" ("address_code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3aa0f0dfcde3603d0a90aea842" ON "sim_residences" ("personal_code", "valid_from") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sim_seed_info" ("id" integer NOT NULL, "seed" integer NOT NULL, "persons" integer NOT NULL, "seeded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_c873d064bfbbf31c73c19c956d1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "sim_properties" ("cadastral_number" text NOT NULL, "address_code" text NOT NULL, "kind" text NOT NULL, "land_register_folio" text NOT NULL, CONSTRAINT "PK_77ad6fb07614fcbc4e08081d4cc" PRIMARY KEY ("cadastral_number"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bcad596657eb6925db3e0a6f57" ON "sim_properties" ("address_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sim_property_shares" ("id" BIGSERIAL NOT NULL, "cadastral_number" text NOT NULL, "owner_code" text NOT NULL, "owner_name" text NOT NULL, "share_numerator" integer NOT NULL, "share_denominator" integer NOT NULL, CONSTRAINT "PK_8c9ef70ad96037cdc3d0f50dce7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a0a693a44675792c92b95b48ae" ON "sim_property_shares" ("owner_code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_88d43b0b104fde84d2f814050f" ON "sim_property_shares" ("cadastral_number") `,
    );
    await queryRunner.query(
      `ALTER TABLE "persons" ADD "given_name_norm" text COLLATE "C" NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(
      `ALTER TABLE "persons" ADD "family_name_norm" text COLLATE "C" NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(`ALTER TABLE "persons" ADD "sex" character(1)`);
    await queryRunner.query(`ALTER TABLE "persons" ADD "taken_over_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "IDX_persons_by_given" ON "persons" ("municipality_id", "given_name_norm", "family_name_norm", "personal_code") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_persons_by_family" ON "persons" ("municipality_id", "family_name_norm", "given_name_norm", "personal_code") `,
    );
    // Substring address search; declared with synchronize: false on SimAddress (TypeORM cannot express opclasses).
    await queryRunner.query(
      `CREATE INDEX "IDX_sim_addresses_search_trgm" ON "sim_addresses" USING gin ("search_text" gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_sim_addresses_search_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_persons_by_family"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_persons_by_given"`);
    await queryRunner.query(`ALTER TABLE "persons" DROP COLUMN "taken_over_at"`);
    await queryRunner.query(`ALTER TABLE "persons" DROP COLUMN "sex"`);
    await queryRunner.query(`ALTER TABLE "persons" DROP COLUMN "family_name_norm"`);
    await queryRunner.query(`ALTER TABLE "persons" DROP COLUMN "given_name_norm"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_88d43b0b104fde84d2f814050f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a0a693a44675792c92b95b48ae"`);
    await queryRunner.query(`DROP TABLE "sim_property_shares"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bcad596657eb6925db3e0a6f57"`);
    await queryRunner.query(`DROP TABLE "sim_properties"`);
    await queryRunner.query(`DROP TABLE "sim_seed_info"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3aa0f0dfcde3603d0a90aea842"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_81f22a392171ac802ef001e136"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4451c7b1d1eef4dd2fb7c54e5e"`);
    await queryRunner.query(`DROP TABLE "sim_residences"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7c4bc5e889ad385d4f52a441d5"`);
    await queryRunner.query(`DROP TABLE "sim_family_links"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_sim_persons_by_family"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_sim_persons_by_given"`);
    await queryRunner.query(`DROP TABLE "sim_persons"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_14a28a2901822120c8d01369d8"`);
    await queryRunner.query(`DROP TABLE "sim_addresses"`);
  }
}
