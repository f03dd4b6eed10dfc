/**
 * The time the application and the processes run on. The shipped app binds the system clock; a
 * test or a training installation may choose the controllable clock (CLOCK=controllable), which
 * production refuses (src/config): moving it makes legal periods pass without waiting for them.
 */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  readonly kind: 'system' | 'controllable';
  now(): Date;
  /** Called after the clock jumps forward (never for a system clock): durable waits re-check their deadline. */
  onAdvance(listener: (now: Date) => void | Promise<void>): () => void;
}

export class SystemClock implements Clock {
  readonly kind = 'system' as const;
  now(): Date {
    return new Date();
  }
  onAdvance(): () => void {
    return () => undefined;
  }
}

/** Runs with the system clock plus an offset that only grows: `advance` moves every reader of the clock at once. */
export class ControllableClock implements Clock {
  readonly kind = 'controllable' as const;
  private offsetMs = 0;
  private readonly listeners = new Set<(now: Date) => void | Promise<void>>();

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves the clock forward and waits until every listener (e.g. the engine waking its timers) has run. */
  async advance(ms: number): Promise<Date> {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`the clock only moves forward (got ${ms} ms)`);
    this.offsetMs += ms;
    const now = this.now();
    for (const l of [...this.listeners]) await l(now);
    return now;
  }

  onAdvance(listener: (now: Date) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function createClock(kind: Clock['kind']): Clock {
  return kind === 'controllable' ? new ControllableClock() : new SystemClock();
}
