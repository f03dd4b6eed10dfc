import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityMap } from '../../../workflows/kit/types';
import { isRetryable } from '../retry';

/**
 * The same activity implementations DBOS runs, adapted for Temporal: an error that says it is not
 * retryable (a DomainError with a non-retryable code) becomes a non-retryable ApplicationFailure,
 * so Temporal fails the call at once as DBOS does instead of spending the retry budget.
 */
export function toTemporalActivities(activities: ActivityMap): ActivityMap {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          if (e instanceof ApplicationFailure || isRetryable(e)) throw e;
          const err = e as Error & { code?: string; fields?: unknown };
          throw ApplicationFailure.create({
            message: err.message,
            type: err.code ?? err.name,
            nonRetryable: true,
            details: err.fields === undefined ? [] : [err.fields],
            cause: err,
          });
        }
      },
    ]),
  );
}
