import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Integrity findings name the person they are about (the holder or another household member), so
 * one award can hold the same kind of finding for several members: unique per award, kind and
 * person. Existing findings are all about the holder (filled in with FORCE lifted for the
 * statement: the owner would otherwise see no tenant's rows).
 */
export class IntegrityFindingsPerMember1796602100000 implements MigrationInterface {
  name = 'IntegrityFindingsPerMember1796602100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "social_assistance_award_findings" ADD "person_code" text`);
    await this.asOwner(
      q,
      `UPDATE "social_assistance_award_findings" f SET "person_code" = a."holder_code"
         FROM "social_assistance_awards" a WHERE a."id" = f."award_id"`,
    );
    await q.query(
      `ALTER TABLE "social_assistance_award_findings" ALTER COLUMN "person_code" SET NOT NULL`,
    );
    await q.query(`DROP INDEX "public"."IDX_sa_award_findings_award_kind"`);
    await q.query(
      `CREATE UNIQUE INDEX "IDX_sa_award_findings_award_kind_person" ON "social_assistance_award_findings" ("award_id", "kind", "person_code")`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_sa_award_findings_award_kind_person"`);
    await this.asOwner(
      q,
      `DELETE FROM "social_assistance_award_findings" WHERE "kind" LIKE 'member-%'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_sa_award_findings_award_kind" ON "social_assistance_award_findings" ("award_id", "kind")`,
    );
    await q.query(`ALTER TABLE "social_assistance_award_findings" DROP COLUMN "person_code"`);
  }

  private async asOwner(q: QueryRunner, sql: string): Promise<void> {
    const tables = ['social_assistance_award_findings', 'social_assistance_awards'];
    for (const t of tables) await q.query(`ALTER TABLE "${t}" NO FORCE ROW LEVEL SECURITY`);
    await q.query(sql);
    for (const t of tables) await q.query(`ALTER TABLE "${t}" FORCE ROW LEVEL SECURITY`);
  }
}
