import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 item 3: a case's run starts after the transaction that wrote the case commits. The case
 * keeps the run's input until the start is recorded (`run_started_at`), so the recovery sweep can
 * start a run whose start after commit never happened (crash, engine down). Existing cases were
 * started when opened: backfilled with their opening time.
 */
export class CaseRunStarted1796560200000 implements MigrationInterface {
  name = 'CaseRunStarted1796560200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cases" ADD "run_started_at" timestamptz`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "run_input" jsonb`);
    // RLS (FORCE) applies to the owner too: the backfill must see every municipality's rows.
    await queryRunner.query(`ALTER TABLE "cases" NO FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`UPDATE "cases" SET "run_started_at" = "opened_at"`);
    await queryRunner.query(`ALTER TABLE "cases" FORCE ROW LEVEL SECURITY`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "run_input"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "run_started_at"`);
  }
}
