import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `audit_append`: one statement that takes a chain's lock, reads its head, and appends one or more
 * entries in order, each with its seq, time, link and hash. The lock used to be held across three
 * round trips to the app (head, INSERT, COMMIT), each of which waited for the app's busy event
 * loop under load, so a municipality's chain took ~170 appends/s. Called on its own (autocommit)
 * the lock is held only inside PostgreSQL, and the app sends the entries that queued meanwhile
 * as one batch: one lock and one commit for all of them.
 *
 * The hash is the same format-1 hash the app computes (sha256 of the previous hash and the entry's
 * RFC 8785 canonical JSON), so `verifyChain` checks old and new entries alike: the app sends each
 * entry's canonical JSON in three pieces around the two values only the database knows, `at`
 * and `seq`.
 *
 * Invoker's rights: row-level security applies to the head and the INSERTs as before. With
 * `p_alone` the call is a statement of its own (autocommit: the app passes it only then) and,
 * when no tenant is set, sets the chain's tenant for that statement itself; otherwise the
 * caller's transaction must already be the chain's tenant's. Misuse raises SQLSTATE CV001.
 * Array arguments run in parallel: element i of each is entry i.
 */
export class AuditAppendFunction1796304007415 implements MigrationInterface {
  name = 'AuditAppendFunction1796304007415';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE FUNCTION audit_append(
  p_alone boolean, p_municipality_id uuid, p_actor_account_id uuid[], p_actor_display text[], p_actor_role text[],
  p_action text[], p_subject_type text[], p_subject_id text[], p_person_id uuid[], p_purpose text[], p_request_id text[],
  p_ip text[], p_details text[], p_before_at text[], p_before_seq text[], p_after_seq text[])
RETURNS TABLE (seq text, at timestamptz, prev_hash text, hash text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $fn$
DECLARE
  v_tenant uuid := current_tenant();
  v_prev text;
  v_seq bigint;
  v_at timestamptz;
  v_hash text;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    -- Under REPEATABLE READ the snapshot may predate the lock and the chain would fork.
    RAISE EXCEPTION 'audit append needs READ COMMITTED, got %', current_setting('transaction_isolation') USING ERRCODE = 'CV001';
  END IF;
  IF p_alone AND v_tenant IS NULL AND p_municipality_id IS NOT NULL THEN
    PERFORM set_config('app.municipality_id', p_municipality_id::text, true);
    v_tenant := p_municipality_id;
  END IF;
  IF v_tenant IS DISTINCT FROM p_municipality_id THEN
    RAISE EXCEPTION 'audit entry for % in a transaction of tenant %', coalesce(p_municipality_id::text, 'platform'), coalesce(v_tenant::text, 'none')
      USING ERRCODE = 'CV001';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('civitas.audit:' || coalesce(p_municipality_id::text, 'platform'), 0));
  -- A volatile function's statements each take a new snapshot: this one sees the append committed
  -- just before the lock was granted.
  IF p_municipality_id IS NULL THEN
    SELECT a.hash INTO v_prev FROM audit_log a WHERE a.municipality_id IS NULL ORDER BY a.seq DESC LIMIT 1;
  ELSE
    SELECT a.hash INTO v_prev FROM audit_log a WHERE a.municipality_id = p_municipality_id ORDER BY a.seq DESC LIMIT 1;
  END IF;
  v_prev := coalesce(v_prev, repeat('0', 64));
  FOR i IN 1 .. coalesce(array_length(p_action, 1), 0) LOOP
    v_seq := nextval(pg_get_serial_sequence('audit_log', 'seq'));
    v_at := date_trunc('milliseconds', clock_timestamp());
    v_hash := encode(sha256(convert_to(
      v_prev || p_before_at[i] || to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || p_before_seq[i] || v_seq::text || p_after_seq[i],
      'UTF8')), 'hex');
    INSERT INTO audit_log (seq, municipality_id, at, actor_account_id, actor_display, actor_role, action, subject_type,
                           subject_id, person_id, purpose, request_id, ip, details, prev_hash, hash)
    VALUES (v_seq, p_municipality_id, v_at, p_actor_account_id[i], p_actor_display[i], p_actor_role[i], p_action[i], p_subject_type[i],
            p_subject_id[i], p_person_id[i], p_purpose[i], p_request_id[i], p_ip[i], p_details[i]::jsonb, v_prev, v_hash);
    seq := v_seq::text;
    at := v_at;
    prev_hash := v_prev;
    hash := v_hash;
    RETURN NEXT;
    v_prev := v_hash;
  END LOOP;
END
$fn$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION audit_append(boolean, uuid, uuid[], text[], text[], text[], text[], text[], uuid[], text[], text[], text[], text[], text[], text[], text[])`,
    );
  }
}
