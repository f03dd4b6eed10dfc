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
   * `jit: false` turns PostgreSQL's JIT compilation off for the transaction, in the same round
   * trip: for short page queries over large tables it costs more than it saves.
   */
  async run<T>(
    municipalityId: string,
    fn: (em: EntityManager) => Promise<T>,
    opts: { jit?: false } = {},
  ): Promise<T> {
    if (!isUuid(municipalityId)) throw new Error(`invalid municipality id: ${municipalityId}`);
    let tx: EntityManager | undefined;
    const result = await this.dataSource.transaction(async (em) => {
      tx = em;
      await em.query(
        opts.jit === false
          ? `SELECT set_config('app.municipality_id', $1, true), set_config('jit', 'off', true)`
          : `SELECT set_config('app.municipality_id', $1, true)`,
        [municipalityId],
      );
      return fn(em);
    });
    // Committed and the connection is back in the pool: what was registered with afterCommit runs now.
    if (tx) await runAfterCommit(tx);
    return result;
  }
}
