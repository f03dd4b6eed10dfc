import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PeriodicJob } from '../platform/jobs/periodic-job';
import { IncomingMailService } from './incoming-mail.service';

/**
 * Reads the e-address mailbox every INCOMING_MAIL_POLL_MS. The durable state is DIV's own list
 * (a message stays there until confirmed) and the unique row per message id: a round may stop
 * anywhere (crash, deploy) and the next one finishes it; several instances at once store one row.
 */
@Injectable()
export class IncomingMailPoller extends PeriodicJob {
  protected readonly jobName = 'incoming e-address mail';

  constructor(
    private readonly mail: IncomingMailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.mail.enabled ? this.config.INCOMING_MAIL_POLL_MS : 0;
  }

  protected async round(): Promise<void> {
    await this.mail.poll();
  }
}
