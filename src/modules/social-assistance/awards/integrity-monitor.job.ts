import { periodicJobOf } from '../../../platform/jobs/periodic-job';
import { IntegrityMonitorService } from './integrity-monitor.service';

/**
 * Looks every SOCIAL_ASSISTANCE_MONITOR_MS (and at start-up) for municipalities whose integrity
 * check of today has not run, and runs it: once per municipality and day whatever the number of
 * instances and rounds (IntegrityMonitorService claims the day's run row).
 */
export const IntegrityMonitorJob = periodicJobOf(IntegrityMonitorService, {
  className: 'IntegrityMonitorJob',
  jobName: 'social-assistance integrity monitor',
  runAtStart: true,
  intervalMs: (config) => config.SOCIAL_ASSISTANCE_MONITOR_MS,
  round: (monitor) => monitor.runDue(),
});
