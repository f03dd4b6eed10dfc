import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * A job every app instance runs every `intervalMs` (0 or less: off), never twice at once in one
 * process; a failed round is logged and the next one runs as planned. `runAtStart` also runs one
 * round as soon as the application has started.
 */
export abstract class PeriodicJob implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly log = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  protected abstract intervalMs(): number;
  /** One round of the job. */
  protected abstract round(): Promise<void>;
  /** What a failed round is called in the log, e.g. "outbox dispatch". */
  protected abstract readonly jobName: string;
  protected readonly runAtStart: boolean = false;

  onApplicationBootstrap(): void {
    const every = this.intervalMs();
    if (every <= 0) return;
    if (this.runAtStart) setImmediate(() => void this.tick());
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.round();
    } catch (e) {
      this.log.error(`${this.jobName} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.busy = false;
    }
  }
}
