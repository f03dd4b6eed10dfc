import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';

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

/** What a job made by `periodicJobOf` does: its name, its interval from the configuration, its round. */
export interface PeriodicJobSpec<S> {
  /** The class name the job is known by in logs and the container. */
  className: string;
  jobName: string;
  runAtStart?: boolean;
  /** 0 or less: off. */
  intervalMs: (config: AppConfig, service: S) => number;
  round: (service: S) => Promise<unknown>;
}

/**
 * A PeriodicJob whose round calls one service: the job class (a Nest provider) for `service`,
 * e.g. `export const DeliveryPoller = periodicJobOf(DeliverySender, { … })`.
 */
export function periodicJobOf<S>(
  service: Type<S>,
  spec: PeriodicJobSpec<S>,
): Type<PeriodicJob> & { prototype: PeriodicJob } {
  class ServiceJob extends PeriodicJob {
    protected readonly jobName = spec.jobName;
    protected override readonly runAtStart = spec.runAtStart ?? false;

    constructor(
      private readonly service: S,
      private readonly config: AppConfig,
    ) {
      super();
    }

    protected intervalMs(): number {
      return spec.intervalMs(this.config, this.service);
    }

    protected async round(): Promise<void> {
      await spec.round(this.service);
    }
  }
  Object.defineProperty(ServiceJob, 'name', { value: spec.className });
  // What the decorators would write on a class written out: the constructor's two dependencies.
  Inject(service)(ServiceJob, undefined as never, 0);
  Inject(APP_CONFIG)(ServiceJob, undefined as never, 1);
  Injectable()(ServiceJob);
  return ServiceJob;
}
