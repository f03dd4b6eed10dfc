import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DeliverySender } from './delivery-sender';

/**
 * Sends due outbox messages that no process run drives (extension notices, alert e-mails, retries),
 * then records which sent messages the e-address reports delivered (issue 14 replaces this polling
 * with the gateway's notifications).
 */
@Injectable()
export class DeliveryPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(DeliveryPoller.name);
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly sender: DeliverySender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.DELIVERY_POLL_MS <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.DELIVERY_POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.sender.dispatchDue();
      await this.sender.refreshSent();
    } catch (e) {
      this.log.error(`outbox dispatch failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.busy = false;
    }
  }
}
