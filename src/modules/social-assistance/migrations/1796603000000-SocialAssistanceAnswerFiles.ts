import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files the applicant sends with an answer to a request for information (from the case page or
 * by e-address) are stored with the application's bills, linked to the request they answer; a
 * file that came by e-address has no uploading account.
 */
export class SocialAssistanceAnswerFiles1796603000000 implements MigrationInterface {
  name = 'SocialAssistanceAnswerFiles1796603000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "social_assistance_bills" ADD "request_id" uuid`);
    await q.query(`ALTER TABLE "social_assistance_bills" ALTER COLUMN "uploaded_by" DROP NOT NULL`);
    await q.query(
      `CREATE INDEX "IDX_sa_bills_request" ON "social_assistance_bills" ("request_id") `,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_sa_bills_request"`);
    await q.query(`DELETE FROM "social_assistance_bills" WHERE "uploaded_by" IS NULL`);
    await q.query(`ALTER TABLE "social_assistance_bills" ALTER COLUMN "uploaded_by" SET NOT NULL`);
    await q.query(`ALTER TABLE "social_assistance_bills" DROP COLUMN "request_id"`);
  }
}
