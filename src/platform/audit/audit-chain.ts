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

/** What the hash covers besides `seq` and `at`, under the names it is hashed with. */
const hashedBody = (f: AppendFields): Record<string, unknown> => ({
  v: HASH_FORMAT,
  municipalityId: f.municipalityId,
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

/** RFC 8785 canonical JSON of an entry: the same bytes whether built before INSERT or read back. */
export function canonicalEntry(f: ChainedFields): string {
  return canonicalize({ ...hashedBody(f), seq: f.seq, at: f.at.toISOString() });
}

/**
 * The canonical JSON of an entry in three pieces around the values of `at` and `seq`, which only
 * the database assigns (under the chain lock): `p0 + at.toISOString() + p1 + seq + p2` is
 * `canonicalEntry`. An RFC 8785 object is its members sorted by name, each `name:value` in
 * canonical form, so the pieces are built member by member.
 */
export function canonicalPieces(f: AppendFields): [string, string, string] {
  const body = hashedBody(f);
  const pieces = [''];
  const names = [...Object.keys(body).filter((k) => body[k] !== undefined), 'at', 'seq'].sort();
  names.forEach((k, i) => {
    const sep = i === 0 ? '{' : ',';
    if (k === 'at' || k === 'seq') {
      pieces[pieces.length - 1] += `${sep}"${k}":"`;
      pieces.push('"');
    } else pieces[pieces.length - 1] += `${sep}${canonicalize(k)}:${canonicalize(body[k])}`;
  });
  pieces[pieces.length - 1] += '}';
  const [p0, p1, p2] = pieces;
  return [p0, p1, p2];
}

export const entryHash = (prevHash: string, f: ChainedFields): string =>
  createHash('sha256').update(prevHash).update(canonicalEntry(f)).digest('hex');

export class ChainMisuse extends Error {}

export type Appended = ChainedFields & { hash: string; prevHash: string };

type Query = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * Appends entries of one chain, in order, through `audit_append` (see its migration): the function
 * takes the chain's lock, reads the head, assigns seq and time, hashes and inserts, in one round
 * trip. `alone`: the call is its own autocommit statement and the lock is held only inside
 * PostgreSQL; otherwise it joins the caller's transaction and the lock is held until that ends, so
 * record audit entries late in long transactions.
 */
export async function appendEntries(
  query: Query,
  fs: AppendFields[],
  alone: boolean,
): Promise<Appended[]> {
  const chain = fs[0]?.municipalityId ?? null;
  if (fs.some((f) => f.municipalityId !== chain)) throw new ChainMisuse('one append, one chain');
  const pieces = fs.map(canonicalPieces);
  const column = <T>(pick: (f: AppendFields) => T): T[] => fs.map(pick);
  let rows: { seq: string; at: Date; prev_hash: string; hash: string }[];
  try {
    rows = (await query(
      `SELECT seq, at, prev_hash, hash FROM audit_append($1, $2, $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
              $9::uuid[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])`,
      [
        alone,
        chain,
        column((f) => f.actorAccountId),
        column((f) => f.actorDisplay),
        column((f) => f.actorRole),
        column((f) => f.action),
        column((f) => f.subjectType),
        column((f) => f.subjectId),
        column((f) => f.personId),
        column((f) => f.purpose),
        column((f) => f.requestId),
        column((f) => f.ip),
        column((f) => JSON.stringify(f.details)),
        pieces.map((p) => p[0]),
        pieces.map((p) => p[1]),
        pieces.map((p) => p[2]),
      ],
    )) as typeof rows;
  } catch (e) {
    const code =
      (e as { driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code;
    if (code === 'CV001') throw new ChainMisuse((e as Error).message);
    throw e;
  }
  return rows.map((r, i) => ({
    ...fs[i],
    seq: r.seq,
    at: r.at,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}

/** Appends one entry inside the caller's open READ COMMITTED transaction of the entry's tenant. */
export async function appendEntry(em: EntityManager, f: AppendFields): Promise<Appended> {
  if (!em.queryRunner?.isTransactionActive)
    throw new ChainMisuse('audit append needs an open transaction');
  const [done] = await appendEntries((sql, params) => em.query(sql, params), [f], false);
  return done;
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
