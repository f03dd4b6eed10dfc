import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';

export interface FaultSettings {
  /** The next N calls fail with external_unavailable (counts down). */
  failNext: number;
  /** Every call fails until switched back. */
  down: boolean;
  /** Added to every call, before failing or answering. */
  latencyMs: number;
}

export interface FaultStatus extends FaultSettings {
  name: string;
  /** Calls made since start or the last reset (answered and failed). */
  calls: number;
  failed: number;
}

const NONE: FaultSettings = { failNext: 0, down: false, latencyMs: 0 };

/**
 * The failure switch of one simulator. It lives in the process that serves the calls (the API
 * process with DBOS embedded), so tests and the dev endpoint flip it without touching other test
 * files that share the database.
 */
export class FaultSwitch {
  private settings: FaultSettings = { ...NONE };
  private calls = 0;
  private failed = 0;

  constructor(readonly name: string) {}

  set(patch: Partial<FaultSettings>): FaultStatus {
    this.settings = { ...this.settings, ...patch };
    return this.status();
  }

  reset(): FaultStatus {
    this.settings = { ...NONE };
    this.calls = 0;
    this.failed = 0;
    return this.status();
  }

  status(): FaultStatus {
    return { name: this.name, ...this.settings, calls: this.calls, failed: this.failed };
  }

  /** Runs one simulated call through the switch. */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    this.calls++;
    if (this.settings.latencyMs > 0) await sleep(this.settings.latencyMs);
    if (this.settings.down || this.settings.failNext > 0) {
      if (this.settings.failNext > 0) this.settings.failNext--;
      this.failed++;
      throw new DomainError(
        ErrorCode.ExternalUnavailable,
        `${this.name} simulator: injected failure`,
        [],
        {
          register: this.name,
        },
      );
    }
    return fn();
  }
}
