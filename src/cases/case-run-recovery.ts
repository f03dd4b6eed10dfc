import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PeriodicJob } from '../platform/jobs/periodic-job';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { CaseService } from './case.service';

/**
 * No accepted case stays without its run. A case's run is started after the transaction that wrote
 * it commits (CaseService.open); if that start never happened or failed (crash between commit and
 * start, engine down), the case has no `run_started_at`. This sweep starts those runs: at start-up
 * and every CASE_RUN_SWEEP_MS, for open cases older than CASE_RUN_GRACE_MS (the normal start after
 * commit is given time first). Starting is idempotent (workflow id = case id), and each case is
 * claimed with FOR UPDATE SKIP LOCKED, so concurrent sweeps (two instances) start it once.
 */
@Injectable()
export class CaseRunRecovery extends PeriodicJob {
  protected readonly jobName = 'case run sweep';
  protected override readonly runAtStart = true;
  /** The clock; tests replace it. */
  now: () => Date = () => new Date();

  constructor(
    private readonly ds: DataSource,
    private readonly tenantDb: TenantDb,
    private readonly cases: CaseService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.CASE_RUN_SWEEP_MS;
  }

  protected async round(): Promise<void> {
    await this.sweep();
  }

  /** Starts the runs of open cases accepted before now − grace whose start was never recorded; returns how many it started. */
  async sweep(limitPerMunicipality = 50): Promise<number> {
    const before = new Date(this.now().getTime() - this.config.CASE_RUN_GRACE_MS);
    const municipalities = await this.ds.query<{ id: string }[]>(`SELECT id FROM municipalities`);
    let started = 0;
    for (const { id: municipalityId } of municipalities) {
      started += await this.tenantDb.run(municipalityId, async (em) => {
        const rows = await em.query<
          { id: string; process_key: string; process_version: number; run_input: unknown }[]
        >(
          `SELECT id, process_key, process_version, run_input FROM cases
            WHERE status = 'open' AND run_started_at IS NULL AND run_input IS NOT NULL AND opened_at < $1
            ORDER BY opened_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [before, limitPerMunicipality],
        );
        let n = 0;
        for (const r of rows) {
          this.log.warn(`case ${r.id}: its run was never recorded as started; starting it now`);
          const c = {
            id: r.id,
            municipalityId,
            processKey: r.process_key,
            processVersion: r.process_version,
          };
          if (await this.cases.startRun(c, r.run_input, em)) n++;
        }
        return n;
      });
    }
    return started;
  }
}
