import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { PeriodicJob } from '../../../platform/jobs/periodic-job';
import { IntegrityMonitorService } from './integrity-monitor.service';

/**
 * Looks every SOCIAL_ASSISTANCE_MONITOR_MS (and at start-up) for municipalities whose integrity
 * check of today has not run, and runs it: once per municipality and day whatever the number of
 * instances and rounds (IntegrityMonitorService claims the day's run row).
 */
@Injectable()
export class IntegrityMonitorJob extends PeriodicJob {
  protected readonly jobName = 'social-assistance integrity monitor';
  protected override readonly runAtStart = true;

  constructor(
    private readonly monitor: IntegrityMonitorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.SOCIAL_ASSISTANCE_MONITOR_MS;
  }

  protected async round(): Promise<void> {
    await this.monitor.runDue();
  }
}
