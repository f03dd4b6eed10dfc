import { periodicJobOf } from '../platform/jobs/periodic-job';
import { DeliverySender } from './delivery-sender';

/**
 * Sends due outbox messages that no process run drives (extension notices, alert e-mails, retries),
 * then records which sent messages the e-address reports delivered (issue 14 replaces this polling
 * with the gateway's notifications).
 */
export const DeliveryPoller = periodicJobOf(DeliverySender, {
  className: 'DeliveryPoller',
  jobName: 'outbox dispatch',
  intervalMs: (config) => config.DELIVERY_POLL_MS,
  round: async (sender) => {
    await sender.dispatchDue();
    await sender.refreshSent();
  },
});
