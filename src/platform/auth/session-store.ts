import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';

const PgStore = connectPgSimple(session);

type Callback = (err?: unknown) => void;
type StoredSession = session.SessionData & { cookie: { expires?: Date | string | null } };
/** Methods connect-pg-simple has but its type definitions omit. */
interface PgStoreInternals {
  query(sql: string, params: unknown[], fn: Callback): void;
  quotedTable(): string;
}

/**
 * connect-pg-simple, but each write also records the signed-in account in http_sessions.account_id,
 * so every session of an account can be deleted in one statement.
 */
export class AccountAwarePgStore extends PgStore {
  constructor(
    options: connectPgSimple.PGStoreOptions,
    private readonly fallbackTtlSeconds: number,
  ) {
    super(options);
    // The row's expiry may lag the rolling cookie by at most a tenth of the idle timeout (≤ 60 s),
    // so a session can end that much early, never late.
    this.touchThrottleMs = Math.min(60_000, (fallbackTtlSeconds * 1000) / 10);
  }

  private readonly touchThrottleMs: number;
  private readonly touchedAt = new Map<string, number>();

  /** A page view would otherwise commit an UPDATE of the session row on every request. */
  override touch(sid: string, sess: session.SessionData, fn?: Callback): void {
    const now = Date.now();
    const last = this.touchedAt.get(sid);
    if (last !== undefined && now - last < this.touchThrottleMs) {
      fn?.();
      return;
    }
    if (this.touchedAt.size >= 100_000) this.touchedAt.clear();
    this.touchedAt.set(sid, now);
    super.touch(sid, sess, fn);
  }

  override destroy(sid: string, fn?: Callback): void {
    this.touchedAt.delete(sid);
    super.destroy(sid, fn);
  }

  override set(sid: string, sess: session.SessionData, fn?: Callback): void {
    const s = sess as StoredSession;
    const expires = s.cookie?.expires
      ? new Date(s.cookie.expires).getTime()
      : Date.now() + this.fallbackTtlSeconds * 1000;
    const self = this as unknown as PgStoreInternals;
    self.query(
      `INSERT INTO ${self.quotedTable()} (sess, expire, sid, account_id) SELECT $1, to_timestamp($2), $3, $4
         ON CONFLICT (sid) DO UPDATE SET sess = $1, expire = to_timestamp($2), account_id = $4 RETURNING sid`,
      [sess, Math.ceil(expires / 1000), sid, sess.auth?.accountId ?? null],
      (err: unknown) => fn?.(err),
    );
    this.touchedAt.set(sid, Date.now());
  }
}
