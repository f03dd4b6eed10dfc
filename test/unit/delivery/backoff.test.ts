import { backoffDelay } from '../../../src/delivery/backoff';

const policy = { baseMs: 1000, maxMs: 60_000 };

describe('backoffDelay', () => {
  it('doubles per attempt between half and all of the exponential ceiling', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 0.999999)).toBe(1000);
    expect(backoffDelay(3, policy, () => 0)).toBe(2000);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(3000);
  });

  it('never exceeds the cap however many attempts', () => {
    expect(backoffDelay(30, policy, () => 0.999999)).toBe(60_000);
    expect(backoffDelay(30, policy, () => 0)).toBe(30_000);
  });

  it('spreads retries of simultaneous failures', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, policy)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(4000);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });

  it('rejects a non-positive attempt number', () => {
    expect(() => backoffDelay(0, policy)).toThrow(
      new RangeError('attempt must be a positive integer: 0'),
    );
    expect(() => backoffDelay(1.5, policy)).toThrow(
      new RangeError('attempt must be a positive integer: 1.5'),
    );
  });
});
