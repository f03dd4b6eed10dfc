import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A task and its case's legal deadline written at the same time (the process opens its first task
 * while the caller starts the legal clock) each missed the other: the task's trigger read the
 * deadlines before the deadline committed, and the deadline's trigger updated the case's tasks
 * before the task committed, so the task kept no legal date and the inbox showed a case past its
 * legal term as not due. Both triggers now take a transaction-scoped advisory lock per case first
 * (in case order), so the second waits for the first to commit and then sees it: each statement
 * in a plpgsql trigger reads with a fresh snapshot.
 */
export class TaskFirstDueLocks1796620000000 implements MigrationInterface {
  name = 'TaskFirstDueLocks1796620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION lock_case_due(case_key text) RETURNS void LANGUAGE sql VOLATILE AS $$
         SELECT pg_advisory_xact_lock(hashtextextended('tasks.first_due:' || case_key, 0)) $$`,
    );
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION tasks_first_due() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'INSERT' THEN
           PERFORM lock_case_due(NEW.case_id::text);
           NEW.legal_due_at := case_legal_due_at(NEW.case_id::text);
         END IF;
         NEW.first_due_at := LEAST(NEW.due_at, NEW.legal_due_at);
         RETURN NEW;
       END $$`,
    );
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION deadlines_to_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE keys text[];
       BEGIN
         IF TG_OP = 'INSERT' THEN
           SELECT array_agg(DISTINCT case_id ORDER BY case_id) INTO keys FROM new_rows;
         ELSIF TG_OP = 'UPDATE' THEN
           SELECT array_agg(DISTINCT case_id ORDER BY case_id) INTO keys
             FROM (SELECT case_id FROM new_rows UNION SELECT case_id FROM old_rows) x;
         ELSE
           SELECT array_agg(DISTINCT case_id ORDER BY case_id) INTO keys FROM old_rows;
         END IF;
         PERFORM lock_case_due(k) FROM unnest(keys) k ORDER BY k;
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
    // Tasks written while the race was possible: take their case's legal date now.
    await queryRunner.query(`ALTER TABLE "tasks" NO FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "deadlines" NO FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `UPDATE "tasks" SET "legal_due_at" = d.at
         FROM (SELECT case_id, min(legal_deadline_end(country, due_on)) AS at FROM "deadlines"
                WHERE status IN ('running', 'missed') GROUP BY case_id) d
        WHERE "tasks"."case_id"::text = d.case_id AND "tasks"."legal_due_at" IS DISTINCT FROM d.at`,
    );
    await queryRunner.query(`ALTER TABLE "deadlines" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "tasks" FORCE ROW LEVEL SECURITY`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION tasks_first_due() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'INSERT' THEN NEW.legal_due_at := case_legal_due_at(NEW.case_id::text); END IF;
         NEW.first_due_at := LEAST(NEW.due_at, NEW.legal_due_at);
         RETURN NEW;
       END $$`,
    );
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION deadlines_to_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await queryRunner.query(`DROP FUNCTION lock_case_due(text)`);
  }
}
