import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API clients get their own rate limit, who revoked them, and when they were last used. */
export class ApiClientLimitsAndUse1796602200000 implements MigrationInterface {
  name = 'ApiClientLimitsAndUse1796602200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "api_clients" ADD "rate_limit_per_minute" integer`);
    await q.query(`ALTER TABLE "api_clients" ADD "revoked_by" text`);
    await q.query(`ALTER TABLE "api_clients" ADD "last_used_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "api_clients" DROP COLUMN "last_used_at"`);
    await q.query(`ALTER TABLE "api_clients" DROP COLUMN "revoked_by"`);
    await q.query(`ALTER TABLE "api_clients" DROP COLUMN "rate_limit_per_minute"`);
  }
}
