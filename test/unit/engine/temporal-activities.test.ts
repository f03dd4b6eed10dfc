import { ApplicationFailure } from '@temporalio/activity';
import { toTemporalActivities } from '../../../src/engine/temporal/temporal-activities';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';

describe('activities on Temporal', () => {
  const calls: unknown[][] = [];
  const activities = toTemporalActivities({
    async lookUp(...args: unknown[]) {
      calls.push(args);
      return { found: true };
    },
    async rejectInput() {
      throw DomainError.validation([
        { field: 'personalCode', message: 'validation:personalCode.checkDigit' },
      ]);
    },
    async registryDown() {
      throw new DomainError(ErrorCode.ExternalUnavailable, 'registry is down');
    },
    async crash() {
      throw new Error('socket hang up');
    },
  });

  it('runs the implementation with its arguments and returns its result', async () => {
    await expect(activities.lookUp('LV-1', { subjectRef: 'p-1' })).resolves.toEqual({
      found: true,
    });
    expect(calls).toEqual([['LV-1', { subjectRef: 'p-1' }]]);
  });

  it('turns a non-retryable domain error into a non-retryable failure typed by its code', async () => {
    const err = await activities.rejectInput().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ nonRetryable: true, type: ErrorCode.ValidationFailed });
    expect((err as ApplicationFailure).details).toEqual([
      [{ field: 'personalCode', message: 'validation:personalCode.checkDigit' }],
    ]);
  });

  it('leaves retryable domain errors and unknown errors for Temporal to retry', async () => {
    await expect(activities.registryDown()).rejects.toMatchObject({
      code: ErrorCode.ExternalUnavailable,
      retryable: true,
    });
    const crash = await activities.crash().catch((e: unknown) => e);
    expect(crash).not.toBeInstanceOf(ApplicationFailure);
    expect((crash as Error).message).toBe('socket hang up');
  });
});
