import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { DataSource, EntityManager } from 'typeorm';

/** prev_hash of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bump when the hashed shape changes; verification of old rows must then know both shapes. */
const HASH_FORMAT = 1;

/** The normalised content of an entry, exactly as stored and as hashed. */
export interface ChainedFields {
  seq: string;
  municipalityId: string | null;
  at: Date;
  actorAccountId: string | null;
  actorDisplay: string;
  actorRole: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  personId: string | null;
  purpose: string | null;
  requestId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export type AppendFields = Omit<ChainedFields, 'seq' | 'at'>;

/** RFC 8785 canonical JSON of an entry: the same bytes whether built before INSERT or read back. */
export function canonicalEntry(f: ChainedFields): string {
  return canonicalize({
    v: HASH_FORMAT,
    seq: f.seq,
    municipalityId: f.municipalityId,
    at: f.at.toISOString(),
    actorAccountId: f.actorAccountId,
    actorDisplay: f.actorDisplay,
    actorRole: f.actorRole,
    action: f.action,
    subjectType: f.subjectType,
    subjectId: f.subjectId,
    personId: f.personId,
    purpose: f.purpose,
    requestId: f.requestId,
    ip: f.ip,
    details: f.details,
  });
}

export const entryHash = (prevHash: string, f: ChainedFields): string =>
  createHash('sha256').update(prevHash).update(canonicalEntry(f)).digest('hex');

const lastOfChain = (municipalityId: string | null): string =>
  municipalityId === null
    ? `SELECT hash FROM audit_log WHERE municipality_id IS NULL ORDER BY seq DESC LIMIT 1`
    : `SELECT hash FROM audit_log WHERE municipality_id = $1 ORDER BY seq DESC LIMIT 1`;

export class ChainMisuse extends Error {}

/**
 * Appends one entry inside the caller's transaction. A transaction-scoped advisory lock per chain
 * serialises appends, so each entry links to the one committed before it; the lock is held until
 * the caller's transaction ends, so record audit entries late in long transactions.
 */
export async function appendEntry(
  em: EntityManager,
  f: AppendFields,
): Promise<ChainedFields & { hash: string; prevHash: string }> {
  if (!em.queryRunner?.isTransactionActive)
    throw new ChainMisuse('audit append needs an open transaction');
  const chainKey = `civitas.audit:${f.municipalityId ?? 'platform'}`;
  const [ctx] = (await em.query(
    `SELECT current_tenant() AS tenant, current_setting('transaction_isolation') AS iso, pg_advisory_xact_lock(hashtextextended($1, 0)) AS locked`,
    [chainKey],
  )) as { tenant: string | null; iso: string }[];
  // Under REPEATABLE READ the snapshot may predate the lock and we would fork the chain.
  if (ctx.iso !== 'read committed')
    throw new ChainMisuse(`audit append needs READ COMMITTED, got ${ctx.iso}`);
  if (ctx.tenant !== f.municipalityId) {
    throw new ChainMisuse(
      `audit entry for ${f.municipalityId ?? 'platform'} in a transaction of tenant ${ctx.tenant ?? 'none'}`,
    );
  }
  // A new statement, so a new snapshot taken after the lock: it sees the previous append. The
  // chain head and the entry's slot come in one round trip (the lock is held meanwhile).
  const [slot] = (await em.query(
    `SELECT (${lastOfChain(f.municipalityId)}) AS prev,
            nextval(pg_get_serial_sequence('audit_log', 'seq'))::text AS seq, date_trunc('milliseconds', clock_timestamp()) AS at`,
    f.municipalityId === null ? [] : [f.municipalityId],
  )) as { prev: string | null; seq: string; at: Date }[];
  const full: ChainedFields = { ...f, seq: slot.seq, at: slot.at };
  const prevHash = slot.prev ?? GENESIS_HASH;
  const hash = entryHash(prevHash, full);
  await em.query(
    `INSERT INTO audit_log (seq, municipality_id, at, actor_account_id, actor_display, actor_role, action, subject_type,
       subject_id, person_id, purpose, request_id, ip, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16)`,
    [
      full.seq,
      full.municipalityId,
      full.at,
      full.actorAccountId,
      full.actorDisplay,
      full.actorRole,
      full.action,
      full.subjectType,
      full.subjectId,
      full.personId,
      full.purpose,
      full.requestId,
      full.ip,
      JSON.stringify(full.details),
      prevHash,
      hash,
    ],
  );
  return { ...full, prevHash, hash };
}

export interface ChainBreak {
  seq: string;
  /** `hash`: the entry's content no longer matches its hash; `prev_hash`: the link to the entry before is broken. */
  field: 'hash' | 'prev_hash';
  expected: string;
  stored: string;
}

export type ChainReport =
  { ok: true; count: number; head: string } | { ok: false; checked: number; broken: ChainBreak };

interface Row {
  seq: string;
  municipality_id: string | null;
  at: Date;
  actor_account_id: string | null;
  actor_display: string;
  actor_role: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  person_id: string | null;
  purpose: string | null;
  request_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const fieldsOf = (r: Row): ChainedFields => ({
  seq: r.seq,
  municipalityId: r.municipality_id,
  at: r.at,
  actorAccountId: r.actor_account_id,
  actorDisplay: r.actor_display,
  actorRole: r.actor_role,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  personId: r.person_id,
  purpose: r.purpose,
  requestId: r.request_id,
  ip: r.ip,
  details: r.details,
});

/**
 * Walks one chain in order inside the caller's transaction (tenant already set, or none for the
 * platform chain) and stops at the first entry whose link or content does not check out.
 */
export async function walkChain(
  em: EntityManager,
  municipalityId: string | null,
  batch = 1000,
): Promise<ChainReport> {
  const where = municipalityId === null ? 'municipality_id IS NULL' : 'municipality_id = $2';
  let prevHash = GENESIS_HASH;
  let after = '0';
  let count = 0;
  for (;;) {
    const rows = (await em.query(
      `SELECT seq::text AS seq, municipality_id, at, actor_account_id, actor_display, actor_role, action, subject_type,
              subject_id, person_id, purpose, request_id, ip, details, prev_hash, hash
         FROM audit_log WHERE ${where} AND audit_log.seq > $1::bigint ORDER BY audit_log.seq LIMIT ${Math.max(1, Math.floor(batch))}`,
      municipalityId === null ? [after] : [after, municipalityId],
    )) as Row[];
    for (const r of rows) {
      if (r.prev_hash !== prevHash) {
        return {
          ok: false,
          checked: count,
          broken: { seq: r.seq, field: 'prev_hash', expected: prevHash, stored: r.prev_hash },
        };
      }
      const expected = entryHash(r.prev_hash, fieldsOf(r));
      if (expected !== r.hash) {
        return {
          ok: false,
          checked: count,
          broken: { seq: r.seq, field: 'hash', expected, stored: r.hash },
        };
      }
      prevHash = r.hash;
      count++;
    }
    if (rows.length < batch) return { ok: true, count, head: prevHash };
    after = rows[rows.length - 1].seq;
  }
}

/** Verifies one chain in a consistent snapshot (REPEATABLE READ), with the tenant set when it has one. */
export function verifyChain(
  ds: DataSource,
  municipalityId: string | null,
  batch?: number,
): Promise<ChainReport> {
  return ds.transaction('REPEATABLE READ', async (em) => {
    if (municipalityId)
      await em.query(`SELECT set_config('app.municipality_id', $1, true)`, [municipalityId]);
    return walkChain(em, municipalityId, batch);
  });
}
