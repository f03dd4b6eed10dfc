import { DEFAULT_RETRY, type ActivityOptions, type RetryPolicy } from '../../workflows/kit/types';

export const retryPolicy = (opts: ActivityOptions | undefined): RetryPolicy => ({
  ...DEFAULT_RETRY,
  ...(opts?.retry ?? {}),
});

/** Delay before attempt `attempt + 1` (attempt counts from 1), capped by maxIntervalMs. */
export const backoffMs = (p: RetryPolicy, attempt: number): number =>
  Math.min(p.maxIntervalMs, p.initialIntervalMs * p.backoffCoefficient ** (attempt - 1));

/**
 * Whether the engine retries an activity error. Errors that say they are not retryable
 * (DomainError with a non-retryable code, or any error with `retryable: false`) fail at once;
 * everything else (network, timeouts, unknown) is retried.
 */
export const isRetryable = (e: unknown): boolean =>
  !(
    typeof e === 'object' &&
    e !== null &&
    'retryable' in e &&
    (e as { retryable: unknown }).retryable === false
  );

export class ActivityTimeoutError extends Error {
  readonly retryable = true;
  constructor(name: string, ms: number) {
    super(`activity ${name} timed out after ${ms} ms`);
    this.name = 'ActivityTimeoutError';
  }
}

/** Runs one activity with its policy: attempts, capped exponential backoff, per-attempt timeout. */
export async function runWithRetry<T>(
  name: string,
  opts: ActivityOptions | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const policy = retryPolicy(opts);
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTimeout(name, opts?.timeoutMs, fn);
    } catch (e) {
      if (attempt >= policy.maxAttempts || !isRetryable(e)) throw e;
      await new Promise((r) => setTimeout(r, backoffMs(policy, attempt)));
    }
  }
}

async function withTimeout<T>(
  name: string,
  ms: number | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  if (!ms) return fn();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ActivityTimeoutError(name, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
