import { ControllableClock, createClock, SystemClock } from '../../../src/platform/clock/clock';

describe('clocks', () => {
  it('the controllable clock moves forward only, and tells its listeners after each jump', async () => {
    const clock = new ControllableClock();
    const seen: number[] = [];
    const stop = clock.onAdvance((now) => void seen.push(now.getTime()));
    const before = clock.now().getTime();
    const after = await clock.advance(14 * 86_400_000);
    expect(after.getTime() - before).toBeGreaterThanOrEqual(14 * 86_400_000);
    expect(seen).toEqual([after.getTime()]);
    await expect(clock.advance(-1)).rejects.toBeInstanceOf(RangeError);
    stop();
    await clock.advance(1);
    expect(seen).toHaveLength(1);
  });

  it('the system clock is real time and never jumps', () => {
    const clock = createClock('system');
    expect(clock).toBeInstanceOf(SystemClock);
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1000);
    expect(createClock('controllable').kind).toBe('controllable');
  });
});
