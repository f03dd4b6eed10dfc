import { defineProcess, humanTask } from '../kit';
import type { CaseActivities } from '../../activities/case/case.activities';
import type { DeadlineActivities } from '../../activities/deadlines';
import type { ResidenceActivities } from '../../activities/residence/residence.activities';
import { annulmentUpdate, type AnnulmentReviewDecision } from '../residence-declaration/events';

/**
 * Annulment of a declared residence (false data or no legal basis), on an owner's application or
 * ex officio. The person is invited to show a legal basis by a date; a declaration elsewhere ends
 * the case with nothing annulled; otherwise a caseworker decides. The annulment runs from the
 * declaration date when there was no basis then, else from the decision date; minors declared
 * with the person are annulled too; the person is notified at once (within 3 working days).
 */
export interface AnnulmentInput {
  municipalityId: string;
  annulmentId: string;
  declaredOn: string;
  respondWithinMs?: number;
}

export interface AnnulmentResult {
  outcome: 'annulled' | 'kept' | 'ended-redeclared';
  annulledFrom: string | null;
  annulled: string[];
  decidedBy: string;
  responded: boolean;
}

type Activities = CaseActivities & DeadlineActivities & ResidenceActivities;

const DAY = 86_400_000;

export const residenceAnnulmentV1 = defineProcess<AnnulmentInput, AnnulmentResult, Activities>(
  {
    key: 'residence-annulment',
    version: 1,
    activities: {
      annulDeclaredResidence: { retry: { maxAttempts: 20, initialIntervalMs: 200, backoffCoefficient: 2, maxIntervalMs: 30_000 } },
      inviteToShowBasis: { retry: { maxAttempts: 8, initialIntervalMs: 200 } },
    },
  },
  async (ctx, input) => {
    const ref = { caseId: ctx.caseId, municipalityId: input.municipalityId };
    const opened = await ctx.now();
    const deadline = await ctx.act.startDeadline({ ...ref, key: 'decision', ruleKey: 'residence-declaration.annulment', startedAt: opened.toISOString() });
    const respondBy = new Date(opened.getTime() + (input.respondWithinMs ?? 14 * DAY));
    await ctx.act.inviteToShowBasis({ ...ref, annulmentId: input.annulmentId, respondBy: respondBy.toISOString() });

    const update = await ctx.waitFor(annulmentUpdate.topic, { until: respondBy });
    const end = async (r: AnnulmentResult): Promise<AnnulmentResult> => {
      await ctx.act.notifyAnnulmentDecision({ ...ref, annulmentId: input.annulmentId, outcome: r.outcome, annulledFrom: r.annulledFrom });
      await ctx.act.recordDecision({ ...ref, outcome: r.outcome, decidedBy: r.decidedBy });
      await ctx.act.markMet({ ...ref, deadlineId: deadline.deadlineId, at: (await ctx.now()).toISOString() });
      await ctx.act.closeCase({ ...ref, outcome: r.outcome });
      return r;
    };

    if (update?.kind === 'redeclared') {
      await ctx.act.recordTimeline({ ...ref, key: 'residence.redeclared', kind: 'residence.redeclared', data: { declarationCaseId: update.declarationCaseId } });
      await ctx.act.closeAnnulment({ ...ref, annulmentId: input.annulmentId, status: 'ended-redeclared' });
      return end({ outcome: 'ended-redeclared', annulledFrom: null, annulled: [], decidedBy: 'system', responded: false });
    }
    await ctx.act.recordTimeline({
      ...ref,
      key: 'residence.basis-response',
      kind: update ? 'residence.basis-response' : 'residence.no-response',
      data: update?.kind === 'response' ? { attachments: update.attachmentIds.length } : {},
    });

    await ctx.act.setStage({ ...ref, stage: 'review' });
    const review = await humanTask<AnnulmentReviewDecision, Activities>(ctx, {
      municipalityId: input.municipalityId,
      step: 'annulment-review',
      role: 'caseworker',
      formKey: 'residence.annulment-review',
      title: 'residence:annulment.taskTitle',
      due: { at: deadline.dueAt },
      remindBeforeMs: 3 * DAY,
    });
    if (review.outcome !== 'completed') throw new Error('unreachable: review waits after escalation');
    const decidedBy = review.completedBy;
    if (review.decision.outcome === 'keep') {
      await ctx.act.closeAnnulment({ ...ref, annulmentId: input.annulmentId, status: 'kept' });
      return end({ outcome: 'kept', annulledFrom: null, annulled: [], decidedBy, responded: !!update });
    }
    const annulledFrom = review.decision.basisAtDeclaration ? review.completedAt.slice(0, 10) : input.declaredOn;
    const { annulled } = await ctx.act.annulDeclaredResidence({ ...ref, annulmentId: input.annulmentId, annulledFrom });
    return end({ outcome: 'annulled', annulledFrom, annulled, decidedBy, responded: !!update });
  },
);
