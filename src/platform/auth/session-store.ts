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
  }

  override set(sid: string, sess: session.SessionData, fn?: Callback): void {
    const s = sess as StoredSession;
    const expires = s.cookie?.expires ? new Date(s.cookie.expires).getTime() : Date.now() + this.fallbackTtlSeconds * 1000;
    const self = this as unknown as PgStoreInternals;
    self.query(
      `INSERT INTO ${self.quotedTable()} (sess, expire, sid, account_id) SELECT $1, to_timestamp($2), $3, $4
         ON CONFLICT (sid) DO UPDATE SET sess = $1, expire = to_timestamp($2), account_id = $4 RETURNING sid`,
      [sess, Math.ceil(expires / 1000), sid, sess.auth?.accountId ?? null],
      (err: unknown) => fn?.(err),
    );
  }
}
