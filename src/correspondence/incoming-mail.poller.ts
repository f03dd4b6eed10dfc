import { periodicJobOf } from '../platform/jobs/periodic-job';
import { IncomingMailService } from './incoming-mail.service';

/**
 * Reads the e-address mailbox every INCOMING_MAIL_POLL_MS. The durable state is DIV's own list
 * (a message stays there until confirmed) and the unique row per message id: a round may stop
 * anywhere (crash, deploy) and the next one finishes it; several instances at once store one row.
 */
export const IncomingMailPoller = periodicJobOf(IncomingMailService, {
  className: 'IncomingMailPoller',
  jobName: 'incoming e-address mail',
  intervalMs: (config, mail) => (mail.enabled ? config.INCOMING_MAIL_POLL_MS : 0),
  round: (mail) => mail.poll(),
});
