import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';

const PgStore = connectPgSimple(session);

type Callback = (err?: unknown) => void;
/** Methods connect-pg-simple has but its type definitions omit. */
interface PgStoreInternals {
  query(sql: string, params: unknown[], fn: (err: unknown, row?: { sess: unknown }) => void): void;
  quotedTable(): string;
}

const PRUNE_EVERY_MS = 15 * 60_000;

/**
 * connect-pg-simple, with two changes:
 * - each write also records the signed-in account in http_sessions.account_id, so every session
 *   of an account can be deleted in one statement;
 * - expiry is read and written by the application's clock (`now`), not by `Date.now()`, so a test
 *   moves time past the idle timeout instead of sleeping through it. A session row expires
 *   `ttlSeconds` after its last write or touch, as the rolling cookie does.
 */
export class AccountAwarePgStore extends PgStore {
  private readonly touchThrottleMs: number;
  private readonly touchedAt = new Map<string, number>();
  private readonly pruneTimer: NodeJS.Timeout;

  constructor(
    options: Omit<connectPgSimple.PGStoreOptions, 'pruneSessionInterval'>,
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {
    // Pruning runs on our own timer: the library starts its timer from get/set, which we replace.
    super({ ...options, pruneSessionInterval: false });
    // The row's expiry may lag the rolling cookie by at most a tenth of the idle timeout (≤ 60 s),
    // so a session can end that much early, never late.
    this.touchThrottleMs = Math.min(60_000, (ttlSeconds * 1000) / 10);
    this.pruneTimer = setInterval(() => this.pruneSessions(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  private get internals(): PgStoreInternals {
    return this as unknown as PgStoreInternals;
  }

  /** Whole seconds, rounded up, as the library stores them. */
  private expiresAt(): number {
    return Math.ceil((this.now() + this.ttlSeconds * 1000) / 1000);
  }

  override get(sid: string, fn: (err: unknown, sess?: session.SessionData | null) => void): void {
    this.internals.query(
      `SELECT sess FROM ${this.internals.quotedTable()} WHERE sid = $1 AND expire >= to_timestamp($2)`,
      [sid, Math.ceil(this.now() / 1000)],
      (err, row) => {
        if (err) return fn(err);
        if (!row) return fn(null, null);
        try {
          const sess = typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess;
          fn(null, sess as session.SessionData);
        } catch {
          this.destroy(sid, (e) => fn(e ?? null, null));
        }
      },
    );
  }

  /** A page view would otherwise commit an UPDATE of the session row on every request. */
  override touch(sid: string, _sess: session.SessionData, fn?: Callback): void {
    const now = this.now();
    const last = this.touchedAt.get(sid);
    if (last !== undefined && now - last < this.touchThrottleMs) {
      fn?.();
      return;
    }
    if (this.touchedAt.size >= 100_000) this.touchedAt.clear();
    this.touchedAt.set(sid, now);
    this.internals.query(
      `UPDATE ${this.internals.quotedTable()} SET expire = to_timestamp($1) WHERE sid = $2`,
      [this.expiresAt(), sid],
      (err) => fn?.(err),
    );
  }

  override destroy(sid: string, fn?: Callback): void {
    this.touchedAt.delete(sid);
    super.destroy(sid, fn);
  }

  override set(sid: string, sess: session.SessionData, fn?: Callback): void {
    this.internals.query(
      `INSERT INTO ${this.internals.quotedTable()} (sess, expire, sid, account_id) SELECT $1, to_timestamp($2), $3, $4
         ON CONFLICT (sid) DO UPDATE SET sess = $1, expire = to_timestamp($2), account_id = $4 RETURNING sid`,
      [sess, this.expiresAt(), sid, sess.auth?.accountId ?? null],
      (err) => fn?.(err),
    );
    this.touchedAt.set(sid, this.now());
  }

  override close(): void {
    clearInterval(this.pruneTimer);
    super.close();
  }
}
