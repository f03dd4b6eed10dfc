import { defineProcess, humanTask } from '../kit';
import type { CaseActivities } from '../../activities/case/case.activities';
import type { DeliveryActivities } from '../../activities/delivery/delivery.types';
import type { ReferenceActivities } from '../../activities/reference/reference.activities';

/**
 * The reference process: a registry check, a caseworker's review with a deadline, reminder and
 * escalation, a recorded decision and a delivery of the outcome. It exercises every kit feature
 * and is the template for real processes.
 */
export interface ReferenceInput {
  municipalityId: string;
  subjectRef: string;
  /** Skip the human review when the registry check is clear (straight-through processing). */
  fastTrack?: boolean;
  /** Review period; defaults to 10 days. */
  reviewDueInMs?: number;
  remindBeforeMs?: number;
}

/** The decision form `reference.review` (validated by the task API before the run sees it). */
export interface ReviewDecision {
  outcome: 'approve' | 'reject';
  reason?: string;
}

export interface ReferenceResult {
  outcome: 'approved' | 'rejected' | 'not-found';
  decidedBy: string;
  escalated: boolean;
}

type Activities = CaseActivities & ReferenceActivities & DeliveryActivities;

const DAY = 86_400_000;

export const referenceV1 = defineProcess<ReferenceInput, ReferenceResult, Activities>(
  {
    key: 'reference',
    version: 1,
    activities: {
      checkRegistry: {
        retry: {
          maxAttempts: 4,
          initialIntervalMs: 200,
          backoffCoefficient: 2,
          maxIntervalMs: 2000,
        },
        timeoutMs: 10_000,
      },
      recordDecision: { retry: { maxAttempts: 10 } },
      sendDelivery: { retry: { maxAttempts: 20, maxIntervalMs: 300_000 } },
    },
  },
  async (ctx, input) => {
    const ref = { caseId: ctx.caseId, municipalityId: input.municipalityId };
    const check = await ctx.act.checkRegistry({ ...ref, subjectRef: input.subjectRef });

    let result: ReferenceResult;
    if (!check.found) {
      result = { outcome: 'not-found', decidedBy: 'system', escalated: false };
    } else if (check.clear && input.fastTrack) {
      result = { outcome: 'approved', decidedBy: 'system', escalated: false };
    } else {
      await ctx.act.setStage({ ...ref, stage: 'review' });
      const review = await humanTask<ReviewDecision, Activities>(ctx, {
        municipalityId: input.municipalityId,
        step: 'review',
        role: 'caseworker',
        formKey: 'reference.review',
        title: 'Review the application',
        due: { inMs: input.reviewDueInMs ?? 10 * DAY },
        remindBeforeMs: input.remindBeforeMs ?? 2 * DAY,
      });
      if (review.outcome !== 'completed')
        throw new Error('unreachable: review waits after escalation');
      result = {
        outcome: review.decision.outcome === 'approve' ? 'approved' : 'rejected',
        decidedBy: review.completedBy,
        escalated: review.escalated,
      };
    }

    await ctx.act.recordDecision({ ...ref, outcome: result.outcome, decidedBy: result.decidedBy });
    await ctx.act.sendDelivery({
      ...ref,
      idempotencyKey: `${ctx.caseId}:decision-notice`,
      channel: 'e-adrese',
      recipientRef: input.subjectRef,
      template: 'reference/decision-notice',
      vars: { outcome: result.outcome },
    });
    await ctx.act.closeCase({ ...ref, outcome: result.outcome });
    return result;
  },
);
