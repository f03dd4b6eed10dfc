import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A task's own due date is the process step's target; the case's legal deadline is the law's term,
 * and the two drift apart (a task opened late, a deadline started at submission). The inbox went
 * by the task's date only, so a case past its legal term could show "8 working days left".
 *
 * Each task now carries the end of its case's earliest running or missed legal deadline
 * (`legal_due_at`) and whichever of the two comes first (`first_due_at`), which the inbox sorts,
 * filters and counts by through the same kind of index as before. Triggers keep both: a task takes
 * them when it is written, and every change of a deadline (start, pause, resume, extension, met,
 * missed) passes to its case's tasks, whichever code path made it.
 *
 * The legal day ends at 23:59:59.999 local time in the deadline's country (`endOfLocalDay`);
 * `legal_deadline_end` repeats `TIME_ZONES` (a test holds the two equal).
 */
export class TaskFirstDue1796612000000 implements MigrationInterface {
  name = 'TaskFirstDue1796612000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tasks" ADD "legal_due_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "tasks" ADD "first_due_at" TIMESTAMP WITH TIME ZONE`);
    // The trigger finds a case's tasks by (municipality, case): with only (case_id, step) and
    // (municipality_id, status, role), a planner with stale statistics (a bulk load) ANDed the
    // whole municipality's bitmap into every look-up (70,000 deadlines: 146 s instead of 1 s).
    await queryRunner.query(
      `CREATE INDEX "IDX_4f9d8987ca01f9771ffa7405fe" ON "tasks" ("municipality_id", "case_id") `,
    );
    await queryRunner.query(
      `CREATE FUNCTION legal_deadline_end(country text, due_on date) RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
       DECLARE zone text := CASE country WHEN 'LV' THEN 'Europe/Riga' WHEN 'GR' THEN 'Europe/Athens' END;
       BEGIN
         IF zone IS NULL THEN RAISE EXCEPTION 'no time zone for legal deadlines in country %', country; END IF;
         RETURN ((due_on + 1)::timestamp AT TIME ZONE zone) - interval '1 millisecond';
       END $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION case_legal_due_at(case_key text) RETURNS timestamptz LANGUAGE sql STABLE AS $$
         SELECT min(legal_deadline_end(country, due_on)) FROM deadlines
          WHERE case_id = case_key AND status IN ('running', 'missed') $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION tasks_first_due() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'INSERT' THEN NEW.legal_due_at := case_legal_due_at(NEW.case_id::text); END IF;
         NEW.first_due_at := LEAST(NEW.due_at, NEW.legal_due_at);
         RETURN NEW;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "tasks_first_due" BEFORE INSERT OR UPDATE ON "tasks" FOR EACH ROW EXECUTE FUNCTION tasks_first_due()`,
    );
    // Once per statement, set-based: a bulk write of deadlines (a calendar change recomputing a
    // country's clocks, a bulk load) updates their cases' tasks in one join, not one look-up a row.
    // Deadlines name their case as text (no foreign key yet): only a UUID can be a case's.
    await queryRunner.query(
      `CREATE FUNCTION deadlines_to_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE keys text[];
       BEGIN
         IF TG_OP = 'INSERT' THEN
           SELECT array_agg(DISTINCT case_id) INTO keys FROM new_rows;
         ELSIF TG_OP = 'UPDATE' THEN
           SELECT array_agg(DISTINCT case_id) INTO keys
             FROM (SELECT case_id FROM new_rows UNION SELECT case_id FROM old_rows) x;
         ELSE
           SELECT array_agg(DISTINCT case_id) INTO keys FROM old_rows;
         END IF;
         UPDATE tasks SET legal_due_at = d.at
           FROM (SELECT k.key::uuid AS case_id,
                        min(legal_deadline_end(dl.country, dl.due_on))
                          FILTER (WHERE dl.status IN ('running', 'missed')) AS at
                   FROM (SELECT DISTINCT x AS key FROM unnest(keys) x
                          WHERE x ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$') k
                   LEFT JOIN deadlines dl ON dl.case_id = k.key
                  GROUP BY k.key) d
          WHERE tasks.case_id = d.case_id AND tasks.legal_due_at IS DISTINCT FROM d.at;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "deadlines_to_tasks_insert" AFTER INSERT ON "deadlines" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION deadlines_to_tasks()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "deadlines_to_tasks_update" AFTER UPDATE ON "deadlines" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION deadlines_to_tasks()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "deadlines_to_tasks_delete" AFTER DELETE ON "deadlines" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION deadlines_to_tasks()`,
    );
    // RLS (FORCE) applies to the owner too: the backfill must see every municipality's rows.
    await queryRunner.query(`ALTER TABLE "tasks" NO FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "deadlines" NO FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`UPDATE "tasks" SET "first_due_at" = "due_at"`);
    await queryRunner.query(
      `UPDATE "tasks" SET "legal_due_at" = d.at
         FROM (SELECT case_id, min(legal_deadline_end(country, due_on)) AS at FROM "deadlines"
                WHERE status IN ('running', 'missed') GROUP BY case_id) d
        WHERE "tasks"."case_id"::text = d.case_id`,
    );
    await queryRunner.query(`ALTER TABLE "deadlines" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "tasks" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "tasks" ALTER COLUMN "first_due_at" SET NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "IDX_8ef64cc8f9d59542ea4c652a3a" ON "tasks" ("municipality_id", "status", "first_due_at", "id") `,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_ed0be3c9f850b3cda08dfcf33c"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_9ac6bf348c5723749de6514f2c" ON "tasks" ("municipality_id", "assignee_id", "status", "first_due_at", "id") `,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_a4d6fcff14635442d58d679a82"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_a4d6fcff14635442d58d679a82" ON "tasks" ("municipality_id", "assignee_id", "status", "due_at", "id") `,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_9ac6bf348c5723749de6514f2c"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_ed0be3c9f850b3cda08dfcf33c" ON "tasks" ("municipality_id", "status", "due_at", "id") `,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_8ef64cc8f9d59542ea4c652a3a"`);
    for (const op of ['insert', 'update', 'delete'])
      await queryRunner.query(`DROP TRIGGER "deadlines_to_tasks_${op}" ON "deadlines"`);
    await queryRunner.query(`DROP FUNCTION deadlines_to_tasks()`);
    await queryRunner.query(`DROP TRIGGER "tasks_first_due" ON "tasks"`);
    await queryRunner.query(`DROP FUNCTION tasks_first_due()`);
    await queryRunner.query(`DROP FUNCTION case_legal_due_at(text)`);
    await queryRunner.query(`DROP FUNCTION legal_deadline_end(text, date)`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4f9d8987ca01f9771ffa7405fe"`);
    await queryRunner.query(`ALTER TABLE "tasks" DROP COLUMN "first_due_at"`);
    await queryRunner.query(`ALTER TABLE "tasks" DROP COLUMN "legal_due_at"`);
  }
}
