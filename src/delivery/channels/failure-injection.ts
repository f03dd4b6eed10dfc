import { DomainError, ErrorCode } from '../../platform/errors/domain-error';

export type InjectedFailure = 'unavailable' | 'timeout' | 'lost_ack';

/**
 * Failure injection shared by the in-repo simulators: fail the next N calls, be slow, or be down.
 * `lost_ack` means the provider did the work but the answer never arrived (the case that proves
 * idempotency keys matter).
 */
export class FailureInjection {
  private queue: InjectedFailure[] = [];
  private slowMs = 0;
  private down = false;

  failNext(n: number, kind: InjectedFailure = 'unavailable'): this {
    for (let i = 0; i < n; i++) this.queue.push(kind);
    return this;
  }
  setSlow(ms: number): this {
    this.slowMs = ms;
    return this;
  }
  setDown(down: boolean): this {
    this.down = down;
    return this;
  }
  reset(): void {
    this.queue = [];
    this.slowMs = 0;
    this.down = false;
  }

  /** Call before doing the work: throws for down/unavailable/timeout; returns whether to lose the ack afterwards. */
  async before(service: string): Promise<{ loseAck: boolean }> {
    if (this.slowMs > 0) await new Promise((r) => setTimeout(r, this.slowMs));
    if (this.down)
      throw new DomainError(ErrorCode.ExternalUnavailable, `${service} is down (simulated)`);
    const next = this.queue.shift();
    if (next === 'unavailable')
      throw new DomainError(ErrorCode.ExternalUnavailable, `${service} unavailable (simulated)`);
    if (next === 'timeout')
      throw new DomainError(ErrorCode.ExternalTimeout, `${service} timed out (simulated)`);
    return { loseAck: next === 'lost_ack' };
  }

  static lostAck(service: string): DomainError {
    return new DomainError(
      ErrorCode.ExternalTimeout,
      `${service}: no answer after sending (simulated lost acknowledgement)`,
    );
  }
}
