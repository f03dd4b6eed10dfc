import { createHash } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { ipKeyGenerator } from 'express-rate-limit';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from './clock';

/** The first delay once an account has had SIGN_IN_RATE_LIMIT failures; it doubles with each further one. */
const BASE_DELAY_SECONDS = 30;
const PRUNE_EVERY_MS = 5 * 60_000;

/** Who a sign-in attempt comes from and which account name it tries (absent for OIDC callbacks). */
export interface ThrottleKeys {
  ip: string;
  identifier?: string;
  /** A browser this account name signed in from before (DeviceCookie): the address limit does not apply. */
  trustedDevice?: boolean;
}

export interface Refusal {
  scope: 'ip' | 'account';
  /** Whole seconds until the next attempt is considered. */
  retryAfterSeconds: number;
  /** True for the first refusal of this lock: only that one goes to the sign-in log (no row per flooded try). */
  firstOfLock: boolean;
}

interface Row {
  bucket: string;
  failures: number;
  window_start: Date;
  blocked_until: Date | null;
}

/**
 * Failed sign-ins counted in PostgreSQL, shared by every app process (issue 12 M5), checked before
 * any password is hashed:
 * - per client address (IPv6 by /56): SIGN_IN_IP_LIMIT failures in a fixed window of
 *   SIGN_IN_RATE_WINDOW_MINUTES, whatever the usernames, then refused until the window ends
 *   (stops spraying one password over many usernames);
 * - per account name: after SIGN_IN_RATE_LIMIT failures each further failure makes the next try
 *   wait 30 s, doubling up to SIGN_IN_MAX_DELAY_SECONDS. A delay, never a block: once it has
 *   passed the real user (from any address) is heard again, and a right password clears it.
 * A bucket is one row updated in place (atomic upsert); rows idle for a window are pruned.
 */
@Injectable()
export class SignInThrottle implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('SignInThrottle');
  private readonly windowSeconds: number;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.windowSeconds = Math.round(config.SIGN_IN_RATE_WINDOW_MINUTES * 60);
  }

  onModuleInit(): void {
    this.timer = setInterval(
      () => void this.prune().catch((e: unknown) => this.log.warn(`prune failed: ${String(e)}`)),
      PRUNE_EVERY_MS,
    );
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Null when the attempt may go ahead; otherwise how long to wait. Counts the refusal on the bucket. */
  async check(keys: ThrottleKeys): Promise<Refusal | null> {
    const now = this.clock.now();
    const ip = ipBucket(keys.ip);
    const account = keys.identifier ? accountBucket(keys.identifier) : null;
    const rows: Row[] = await this.ds.query(
      `SELECT bucket, failures, window_start, blocked_until FROM sign_in_throttle WHERE bucket = ANY($1::text[])`,
      [[ip, ...(account ? [account] : [])]],
    );
    const ipRow = rows.find((r) => r.bucket === ip);
    const windowEnd = ipRow
      ? new Date(ipRow.window_start).getTime() + this.windowSeconds * 1000
      : 0;
    if (
      ipRow &&
      !keys.trustedDevice &&
      ipRow.failures >= this.config.SIGN_IN_IP_LIMIT &&
      windowEnd > now.getTime()
    ) {
      return {
        scope: 'ip',
        retryAfterSeconds: secondsUntil(windowEnd, now),
        firstOfLock: await this.countRefusal(ip),
      };
    }
    const accRow = account ? rows.find((r) => r.bucket === account) : undefined;
    const until = accRow?.blocked_until ? new Date(accRow.blocked_until).getTime() : 0;
    if (accRow && until > now.getTime()) {
      return {
        scope: 'account',
        retryAfterSeconds: secondsUntil(until, now),
        firstOfLock: await this.countRefusal(account!),
      };
    }
    return null;
  }

  /** A failed attempt: one more on the address's window and on the account name's delay. */
  async recordFailure(keys: ThrottleKeys): Promise<void> {
    const now = this.clock.now();
    const window = this.windowSeconds;
    const freshIp = `t.window_start <= $2::timestamptz - make_interval(secs => $3)`;
    await this.ds.query(
      `INSERT INTO sign_in_throttle AS t (bucket, failures, refused, window_start, last_failure_at, blocked_until)
       VALUES ($1, 1, 0, $2, $2, NULL)
       ON CONFLICT (bucket) DO UPDATE SET
         failures = CASE WHEN ${freshIp} THEN 1 ELSE t.failures + 1 END,
         refused = CASE WHEN ${freshIp} THEN 0 ELSE t.refused END,
         window_start = CASE WHEN ${freshIp} THEN $2 ELSE t.window_start END,
         last_failure_at = $2`,
      [ipBucket(keys.ip), now, window],
    );
    if (!keys.identifier) return;
    // An account's count starts again after a window without failures.
    const n = `(CASE WHEN t.last_failure_at <= $2::timestamptz - make_interval(secs => $3) THEN 1 ELSE t.failures + 1 END)`;
    const delay = (failures: string) =>
      `CASE WHEN ${failures} >= $4 THEN $2::timestamptz + make_interval(secs => LEAST($5::float8, ${BASE_DELAY_SECONDS} * power(2, LEAST(${failures} - $4, 30)))) END`;
    await this.ds.query(
      `INSERT INTO sign_in_throttle AS t (bucket, failures, refused, window_start, last_failure_at, blocked_until)
       VALUES ($1, 1, 0, $2, $2, ${delay('1')})
       ON CONFLICT (bucket) DO UPDATE SET
         failures = ${n}, refused = 0, last_failure_at = $2,
         window_start = CASE WHEN ${n} = 1 THEN $2 ELSE t.window_start END,
         blocked_until = ${delay(n)}`,
      [
        accountBucket(keys.identifier),
        now,
        window,
        this.config.SIGN_IN_RATE_LIMIT,
        this.config.SIGN_IN_MAX_DELAY_SECONDS,
      ],
    );
  }

  /** A right password (and second factor) clears the account name's delay; the address keeps its count. */
  async recordSuccess(identifier: string): Promise<void> {
    await this.ds.query(`DELETE FROM sign_in_throttle WHERE bucket = $1`, [
      accountBucket(identifier),
    ]);
  }

  /** Drops buckets that no longer hold anything back. */
  async prune(): Promise<number> {
    const now = this.clock.now();
    const res: [unknown[], number] = await this.ds.query(
      `DELETE FROM sign_in_throttle WHERE last_failure_at <= $1::timestamptz - make_interval(secs => $2) AND (blocked_until IS NULL OR blocked_until <= $1)`,
      [now, this.windowSeconds],
    );
    return res[1];
  }

  private async countRefusal(bucket: string): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, count].
    const [rows]: [{ refused: number }[], number] = await this.ds.query(
      `UPDATE sign_in_throttle SET refused = refused + 1 WHERE bucket = $1 RETURNING refused`,
      [bucket],
    );
    return (rows[0]?.refused ?? 1) === 1;
  }
}

const secondsUntil = (at: number, now: Date): number =>
  Math.max(1, Math.ceil((at - now.getTime()) / 1000));
const ipBucket = (ip: string): string => `ip:${ipKeyGenerator(ip || '0.0.0.0')}`;
/** Hashed: the table never holds what was typed (a password typed into the username field). */
const accountBucket = (identifier: string): string =>
  `account:${createHash('sha256').update(identifier.trim().toLowerCase()).digest('hex')}`;
