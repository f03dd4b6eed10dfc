import { referenceV1 } from '../../../workflows/reference/v1';
import { DEFAULT_RETRY } from '../../../workflows/kit/types';
import { toTemporalActivityOptions } from '../../../workflows/temporal';
import { DEFAULT_ACTIVITY_TIMEOUT_MS } from '../../../workflows/temporal-contract';

describe('activity options on Temporal', () => {
  it('applies the retry policy and timeout a process declares for an activity', () => {
    expect(toTemporalActivityOptions(referenceV1.activities?.checkRegistry)).toEqual({
      startToCloseTimeout: 10_000,
      retry: {
        maximumAttempts: 4,
        initialInterval: 200,
        backoffCoefficient: 2,
        maximumInterval: 2000,
      },
    });
  });

  it('fills what the process leaves out from the kit defaults', () => {
    expect(toTemporalActivityOptions(referenceV1.activities?.sendDelivery)).toEqual({
      startToCloseTimeout: DEFAULT_ACTIVITY_TIMEOUT_MS,
      retry: {
        maximumAttempts: 20,
        initialInterval: DEFAULT_RETRY.initialIntervalMs,
        backoffCoefficient: DEFAULT_RETRY.backoffCoefficient,
        maximumInterval: 300_000,
      },
    });
    expect(toTemporalActivityOptions(undefined).retry?.maximumAttempts).toBe(
      DEFAULT_RETRY.maxAttempts,
    );
  });
});
