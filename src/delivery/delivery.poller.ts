import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PeriodicJob } from '../platform/jobs/periodic-job';
import { DeliverySender } from './delivery-sender';

/**
 * Sends due outbox messages that no process run drives (extension notices, alert e-mails, retries),
 * then records which sent messages the e-address reports delivered (issue 14 replaces this polling
 * with the gateway's notifications).
 */
@Injectable()
export class DeliveryPoller extends PeriodicJob {
  protected readonly jobName = 'outbox dispatch';

  constructor(
    private readonly sender: DeliverySender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.DELIVERY_POLL_MS;
  }

  protected async round(): Promise<void> {
    await this.sender.dispatchDue();
    await this.sender.refreshSent();
  }
}
