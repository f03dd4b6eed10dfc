import { ShortCache } from '../../../src/workspace/inbox.service';

const M = '00000000-0000-4000-8000-000000000001';

/** A load that resolves when told to, counting how often it was started. */
function loader() {
  const pending: ((v: number) => void)[] = [];
  let started = 0;
  return {
    load: () => {
      started++;
      return new Promise<number>((resolve) => pending.push(resolve));
    },
    resolveAll: (v: number) => pending.splice(0).forEach((r) => r(v)),
    started: () => started,
  };
}

describe('the inbox figures cache', () => {
  it('loads a missing key once for every request that asks at the same time', async () => {
    const cache = new ShortCache<number>(1000);
    const l = loader();
    const asks = Array.from({ length: 20 }, () => cache.get(`${M}|k`, l.load, 0));
    expect(l.started()).toBe(1);
    l.resolveAll(7);
    expect(await Promise.all(asks)).toEqual(Array(20).fill(7));
    expect(await cache.get(`${M}|k`, l.load, 999)).toBe(7);
    expect(l.started()).toBe(1);
  });

  it('serves a stale value at once while one background load replaces it', async () => {
    const cache = new ShortCache<number>(1000);
    const l = loader();
    const first = cache.get(`${M}|k`, l.load, 0);
    l.resolveAll(1);
    await first;
    expect(await cache.get(`${M}|k`, l.load, 1500)).toBe(1);
    expect(await cache.get(`${M}|k`, l.load, 1600)).toBe(1);
    expect(l.started()).toBe(2);
    l.resolveAll(2);
    await new Promise((r) => setImmediate(r));
    expect(await cache.get(`${M}|k`, l.load, 1700)).toBe(2);
    // Too old to serve (over 4 × ttl): the request waits for the load.
    const late = cache.get(`${M}|k`, l.load, 1500 + 5000);
    expect(l.started()).toBe(3);
    l.resolveAll(3);
    expect(await late).toBe(3);
  });

  it('forgets a municipality at once after a command, and does not store a load begun before it', async () => {
    const cache = new ShortCache<number>(1000);
    const l = loader();
    const stored = cache.get(`${M}|k`, l.load, 0);
    l.resolveAll(1);
    await stored;
    const before = cache.get(`${M}|other`, l.load, 0);
    cache.dropMunicipality(M);
    l.resolveAll(5);
    expect(await before).toBe(5); // its caller gets it…
    const l2 = loader();
    const again = cache.get(`${M}|other`, l2.load, 10);
    const dropped = cache.get(`${M}|k`, l2.load, 10);
    expect(l2.started()).toBe(2); // …but neither it nor the dropped entry is served again
    l2.resolveAll(6);
    expect(await again).toBe(6);
    expect(await dropped).toBe(6);
  });

  it('reports a failed background load and keeps serving the stale value', async () => {
    const failures: unknown[] = [];
    const cache = new ShortCache<number>(1000, (e) => failures.push(e));
    await cache.get(`${M}|k`, () => Promise.resolve(1), 0);
    expect(await cache.get(`${M}|k`, () => Promise.reject(new Error('db down')), 1500)).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(failures).toEqual([new Error('db down')]);
    expect(await cache.get(`${M}|k`, () => Promise.resolve(2), 1600)).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(await cache.get(`${M}|k`, () => Promise.resolve(3), 1700)).toBe(2);
  });

  it('does not keep a failed load', async () => {
    const cache = new ShortCache<number>(1000);
    await expect(
      cache.get(`${M}|k`, () => Promise.reject(new Error('db down')), 0),
    ).rejects.toThrow('db down');
    expect(await cache.get(`${M}|k`, () => Promise.resolve(9), 1)).toBe(9);
  });
});
