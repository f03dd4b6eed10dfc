import { Logger } from '@nestjs/common';
import {
  EventSubscriber,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
} from 'typeorm';
import type { TransactionCommitEvent } from 'typeorm/subscriber/event/TransactionCommitEvent';
import type { TransactionRollbackEvent } from 'typeorm/subscriber/event/TransactionRollbackEvent';

const KEY = 'civitas.afterCommit';
const COMMITTED = 'civitas.afterCommit.due';

interface Pending {
  /** The transaction depth (1 = outermost, 2+ = savepoint) the callback was registered at. */
  depth: number;
  fn: () => Promise<void>;
}

/** TypeORM keeps the depth protected; 1 inside the outermost transaction, +1 per savepoint. */
const depthOf = (qr: QueryRunner): number =>
  (qr as unknown as { transactionDepth: number }).transactionDepth;
const pendingOf = (qr: QueryRunner): Pending[] =>
  ((qr.data as Record<string, Pending[] | undefined>)[KEY] ??= []);

const log = new Logger('AfterCommit');

/**
 * Runs `fn` once the transaction of `em` has committed (the outermost one: releasing a savepoint
 * is no commit), and never if it rolls back. A savepoint rolled back drops what was registered
 * inside it. Its failure is logged, not thrown (the data is committed; whoever registers must be
 * able to recover). TenantDb.run awaits the callbacks after the transaction's connection went back
 * to the pool, so they may use the pool and are done when `run` returns; a transaction opened some
 * other way gets them on the next turn of the event loop.
 */
export function afterCommit(em: EntityManager, fn: () => Promise<void>): void {
  const qr = em.queryRunner;
  if (!qr?.isTransactionActive) throw new Error('afterCommit needs an open transaction');
  pendingOf(qr).push({ depth: depthOf(qr), fn });
}

/** Runs (once) the callbacks of a committed transaction; nothing for one that rolled back. */
export async function runAfterCommit(em: EntityManager): Promise<void> {
  const qr = em.queryRunner;
  if (!qr) return;
  const due = ((qr.data as Record<string, Pending[] | undefined>)[COMMITTED] ?? []).splice(0);
  for (const p of due) {
    try {
      await p.fn();
    } catch (e) {
      log.error(`after-commit callback failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/**
 * Moves the callbacks of `afterCommit` to "due" on the real commit. PostgresQueryRunner broadcasts
 * AfterTransactionCommit after `COMMIT` and also after `RELEASE SAVEPOINT`, and decrements the
 * depth before it; only depth 0 is the real commit. AfterTransactionRollback likewise follows
 * `ROLLBACK [TO SAVEPOINT]`. The subscriber does not run them itself: it is called while the
 * connection is still held, and a callback needing a second connection could then exhaust the
 * pool. Registered in dataSourceOptions (the decorator alone attaches it to no data source).
 */
@EventSubscriber()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    const qr = event.queryRunner;
    const depth = depthOf(qr);
    if (depth !== 0) {
      // A savepoint released: what it registered now belongs to the enclosing block.
      for (const p of pendingOf(qr)) p.depth = Math.min(p.depth, depth);
      return;
    }
    const data = qr.data as Record<string, Pending[] | undefined>;
    (data[COMMITTED] ??= []).push(...pendingOf(qr).splice(0));
    if (data[COMMITTED].length) setImmediate(() => void runAfterCommit(qr.manager));
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const qr = event.queryRunner;
    const depth = depthOf(qr);
    const pending = pendingOf(qr);
    // Keep only what was registered outside the rolled-back block (depth now = the block's parent).
    const kept = pending.filter((p) => p.depth <= depth);
    pending.splice(0, pending.length, ...kept);
  }
}
