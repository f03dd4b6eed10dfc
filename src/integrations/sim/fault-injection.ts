import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';

export interface FaultSettings {
  /** The next N calls fail with external_unavailable (counts down): fail N times, then recover. */
  failNext: number;
  /** Every call fails until switched back. */
  down: boolean;
  /** Added to every call, before failing or answering. */
  latencyMs: number;
  /**
   * With a value above latencyMs, each call waits a uniformly random time between latencyMs and
   * this (e.g. 50–300 ms, the spread the social-assistance bench assumes).
   */
  latencyMaxMs: number;
  /** The next N calls time out: they hang for timeoutMs, then fail with external_timeout. */
  timeoutNext: number;
  /** How long a timed-out call hangs before it fails. */
  timeoutMs: number;
}

export interface FaultStatus extends FaultSettings {
  name: string;
  /** Calls made since start or the last reset (answered and failed). */
  calls: number;
  failed: number;
}

const NONE: FaultSettings = {
  failNext: 0,
  down: false,
  latencyMs: 0,
  latencyMaxMs: 0,
  timeoutNext: 0,
  timeoutMs: 1000,
};

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
    const latency = this.latency();
    if (latency > 0) await sleep(latency);
    if (this.settings.timeoutNext > 0) {
      this.settings.timeoutNext--;
      this.failed++;
      await sleep(this.settings.timeoutMs);
      throw new DomainError(
        ErrorCode.ExternalTimeout,
        `${this.name} simulator: injected timeout after ${this.settings.timeoutMs} ms`,
        [],
        { register: this.name },
      );
    }
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

  private latency(): number {
    const { latencyMs: min, latencyMaxMs: max } = this.settings;
    // Simulated network jitter, not process code: Math.random is fine here.
    return max > min ? min + Math.floor(Math.random() * (max - min + 1)) : min;
  }
}
