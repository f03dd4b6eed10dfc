import { defineEvent, defineProcess, parseProcessId, taskCompleted } from '../../../workflows/kit';
import { currentVersion, findProcess, PROCESSES } from '../../../workflows';
import { mergeActivities } from '../../../src/engine/activities';
import { backoffMs, isRetryable, retryPolicy, runWithRetry } from '../../../src/engine/retry';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';

describe('process kit', () => {
  it('names a process version key@vN and parses it back', () => {
    const p = defineProcess<void, void, Record<string, never>>(
      { key: 'tree-cutting', version: 2 },
      async () => undefined,
    );
    expect(p.id).toBe('tree-cutting@v2');
    expect(parseProcessId(p.id)).toEqual({ key: 'tree-cutting', version: 2 });
    expect(parseProcessId('not a process')).toBeNull();
  });

  it('rejects malformed process keys and versions', () => {
    expect(() => defineProcess({ key: 'Tree Cutting', version: 1 }, async () => undefined)).toThrow(
      /kebab-case/,
    );
    expect(() => defineProcess({ key: 'x', version: 0 }, async () => undefined)).toThrow(
      /positive integer/,
    );
  });

  it('makes one topic per event instance', () => {
    expect(taskCompleted.for('abc').topic).toBe('task.completed:abc');
    const info = defineEvent<{ docs: string[] }>('info.received');
    expect(info.topic.topic).toBe('info.received');
    expect(() => defineEvent('bad:name')).toThrow();
    expect(() => info.for('')).toThrow();
  });

  it('lists every registered process once and starts new cases on the highest version', () => {
    const ids = PROCESSES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('reference@v1');
    expect(currentVersion('reference')).toBe(1);
    expect(findProcess('reference')?.id).toBe('reference@v1');
    expect(findProcess('reference', 9)).toBeNull();
    expect(currentVersion('nope')).toBeNull();
  });
});

describe('activity retry policy', () => {
  it('backs off exponentially up to the cap', () => {
    const p = retryPolicy({
      retry: { initialIntervalMs: 100, backoffCoefficient: 3, maxIntervalMs: 1000 },
    });
    expect([1, 2, 3, 4].map((a) => backoffMs(p, a))).toEqual([100, 300, 900, 1000]);
    expect(p.maxAttempts).toBe(5);
  });

  it('does not retry non-retryable domain errors but retries outages and unknown errors', () => {
    expect(isRetryable(new DomainError(ErrorCode.ValidationFailed, 'x'))).toBe(false);
    expect(isRetryable(new DomainError(ErrorCode.ExternalUnavailable, 'x'))).toBe(true);
    expect(isRetryable(new Error('ECONNRESET'))).toBe(true);
  });

  it('runs up to maxAttempts and then gives up with the last error', async () => {
    let n = 0;
    const fail = () => {
      n++;
      return Promise.reject(new Error(`boom ${n}`));
    };
    await expect(
      runWithRetry('x', { retry: { maxAttempts: 3, initialIntervalMs: 1 } }, fail),
    ).rejects.toThrow('boom 3');
    expect(n).toBe(3);
  });

  it('stops at once on a non-retryable error', async () => {
    let n = 0;
    const fail = () => {
      n++;
      return Promise.reject(new DomainError(ErrorCode.NotFound, 'gone'));
    };
    await expect(
      runWithRetry('x', { retry: { maxAttempts: 5, initialIntervalMs: 1 } }, fail),
    ).rejects.toThrow('gone');
    expect(n).toBe(1);
  });

  it('times out a hanging attempt and retries it', async () => {
    let n = 0;
    const slowOnce = () =>
      ++n === 1
        ? new Promise<string>((r) => setTimeout(() => r('late'), 500))
        : Promise.resolve('ok');
    await expect(
      runWithRetry('x', { timeoutMs: 30, retry: { initialIntervalMs: 1 } }, slowOnce),
    ).resolves.toBe('ok');
    expect(n).toBe(2);
  });

  it('refuses two activity factories defining the same name', () => {
    const a = { ping: async () => 1 };
    expect(() => mergeActivities(a, { ping: async () => 2 })).toThrow(/ping is defined twice/);
    expect(Object.keys(mergeActivities(a, { pong: async () => 2 }))).toEqual(['ping', 'pong']);
  });
});
