export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  factor?: number;
}

/**
 * Delay before retry number `attempt` (1 = after the first failure): exponential, capped, with
 * "equal jitter" (half fixed, half random) so a burst of failures does not retry in lockstep yet
 * never retries immediately.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`attempt must be a positive integer: ${attempt}`);
  const factor = policy.factor ?? 2;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * factor ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
