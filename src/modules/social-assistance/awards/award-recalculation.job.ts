import { periodicJobOf } from '../../../platform/jobs/periodic-job';
import { AwardRecalculationService } from './award-recalculation.service';

/**
 * Recalculates awards in force after a social-assistance parameter version dated inside them,
 * every SOCIAL_ASSISTANCE_RECALCULATION_MS and once at start-up (a version added while the app was
 * down is caught then). Every instance may run it: the work is per award under its row lock and
 * finds nothing left to do once done (AwardRecalculationService).
 */
export const AwardRecalculationJob = periodicJobOf(AwardRecalculationService, {
  className: 'AwardRecalculationJob',
  jobName: 'social-assistance award recalculation',
  runAtStart: true,
  intervalMs: (config) => config.SOCIAL_ASSISTANCE_RECALCULATION_MS,
  round: (recalculation) => recalculation.recalculateAll(),
});
