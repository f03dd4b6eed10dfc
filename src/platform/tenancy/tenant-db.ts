import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { runAfterCommit } from '../database/after-commit';
import { isUuid } from '../ids';

/**
 * The only way application code reaches tenant data: one transaction with the municipality set by
 * SET LOCAL (set_config(..., true)), so the setting can never leak to another request on the pool.
 */
@Injectable()
export class TenantDb {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One transaction on its own connection. Opening it and setting the municipality is one round
   * trip (`START TRANSACTION; SELECT set_config(...)` in one simple-protocol query: the id is a
   * checked UUID, so the literal is safe), not two: every tenant transaction pays it, and a
   * social-assistance assessment alone runs about twenty.
   * `jit: false` also turns PostgreSQL's JIT compilation off for the transaction, in the same round
   * trip: for short page queries over large tables it costs more than it saves.
   */
  async run<T>(
    municipalityId: string,
    fn: (em: EntityManager) => Promise<T>,
    opts: { jit?: false } = {},
  ): Promise<T> {
    if (!isUuid(municipalityId)) throw new Error(`invalid municipality id: ${municipalityId}`);
    const begin =
      `START TRANSACTION; SELECT set_config('app.municipality_id', '${municipalityId}', true)` +
      (opts.jit === false ? `, set_config('jit', 'off', true)` : '');
    const qr = this.dataSource.createQueryRunner();
    let result: T;
    try {
      // TypeORM's own start (its state and transaction events), with the one statement it sends replaced.
      const query = qr.query.bind(qr) as (q: string, ...rest: unknown[]) => Promise<unknown>;
      qr.query = ((q: string, ...rest: unknown[]) =>
        query(q === 'START TRANSACTION' ? begin : q, ...rest)) as typeof qr.query;
      try {
        await qr.startTransaction();
      } finally {
        Reflect.deleteProperty(qr, 'query');
      }
      try {
        result = await fn(qr.manager);
        await qr.commitTransaction();
      } catch (e) {
        // The original error is the one to report, even if the rollback fails too.
        await qr.rollbackTransaction().catch(() => undefined);
        throw e;
      }
    } finally {
      await qr.release();
    }
    // Committed and the connection is back in the pool: what was registered with afterCommit runs now.
    await runAfterCommit(qr.manager);
    return result;
  }
}
