import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { PeriodicJob } from '../../../platform/jobs/periodic-job';
import { AwardRecalculationService } from './award-recalculation.service';

/**
 * Recalculates awards in force after a social-assistance parameter version dated inside them,
 * every SOCIAL_ASSISTANCE_RECALCULATION_MS and once at start-up (a version added while the app was
 * down is caught then). Every instance may run it: the work is per award under its row lock and
 * finds nothing left to do once done (AwardRecalculationService).
 */
@Injectable()
export class AwardRecalculationJob extends PeriodicJob {
  protected readonly jobName = 'social-assistance award recalculation';
  protected override readonly runAtStart = true;

  constructor(
    private readonly recalculation: AwardRecalculationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.SOCIAL_ASSISTANCE_RECALCULATION_MS;
  }

  protected async round(): Promise<void> {
    await this.recalculation.recalculateAll();
  }
}
