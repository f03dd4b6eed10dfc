import { awaitNotified, defineProcess, humanTask, type NotifiedActivities } from '../kit';
import type { AnnulmentResult } from './v1';
import type { AnnulmentInputV3 } from './v3';
import type { CaseActivities } from '../../activities/case/case.activities';
import type { DeadlineActivities } from '../../activities/deadlines';
import type { ParameterActivities } from '../../activities/parameters';
import type { ResidenceActivities } from '../../activities/residence/residence.activities';
import { annulmentUpdate, type AnnulmentReviewDecision } from '../residence-declaration/events';
import { DAY_MS, RESIDENCE_PERIODS } from '../residence-declaration/periods';

/**
 * v4 of the annulment: as v3, but the person's response period counts from the day the invitation
 * is deemed notified (Paziņošanas likums: the 2nd working day after sending to an e-address, the
 * post and e-mail rules per their parameters; a failed channel falls back to the next one and keeps
 * the notice), not from the day the case was opened. The unit of the period parameter decides
 * whether working or calendar days count. The run learns the date through the kit's
 * `awaitNotified`; if the invitation has not taken effect by the decision deadline (e.g. a letter
 * never posted) the caseworker reviews without a response period.
 */
export type AnnulmentInputV4 = AnnulmentInputV3;

type Activities = CaseActivities &
  DeadlineActivities &
  ParameterActivities &
  ResidenceActivities &
  NotifiedActivities;

/** The completion a withdrawn review task sends (see TaskService.withdraw). */
interface WithdrawnReview {
  outcome: 'withdrawn';
  declarationCaseId?: string;
}

export const residenceAnnulmentV4 = defineProcess<AnnulmentInputV4, AnnulmentResult, Activities>(
  {
    key: 'residence-annulment',
    version: 4,
    activities: {
      annulDeclaredResidence: { retry: { maxAttempts: 20, initialIntervalMs: 200, backoffCoefficient: 2, maxIntervalMs: 30_000 } },
      inviteToShowBasis: { retry: { maxAttempts: 8, initialIntervalMs: 200 } },
    },
  },
  async (ctx, input) => {
    const ref = { caseId: ctx.caseId, municipalityId: input.municipalityId };
    const opened = await ctx.now();
    const deadline = await ctx.act.startDeadline({ ...ref, key: 'decision', ruleKey: 'residence-declaration.annulment', startedAt: opened.toISOString() });
    const periods = await ctx.act.readParameters({
      ...ref,
      step: 'opened',
      on: opened.toISOString(),
      keys: [RESIDENCE_PERIODS.annulmentResponseDays, RESIDENCE_PERIODS.reviewReminderDays],
    });
    const period = periods[RESIDENCE_PERIODS.annulmentResponseDays];
    await ctx.act.inviteToShowBasis({ ...ref, annulmentId: input.annulmentId, respondWithin: { value: period.value, unit: period.unit } });

    const notified = await awaitNotified(ctx, { municipalityId: input.municipalityId, key: 'basis-invitation', until: deadline.dueAt });
    let respondBy: Date;
    if (notified?.deemedNotifiedOn) {
      const p = await ctx.act.setResponsePeriod({ ...ref, notifiedOn: notified.deemedNotifiedOn, channel: notified.channel, value: period.value, unit: period.unit });
      respondBy = new Date(p.respondBy);
    } else {
      await ctx.act.recordTimeline({ ...ref, key: 'residence.not-notified', kind: 'residence.not-notified', data: { until: deadline.dueAt } });
      respondBy = await ctx.now();
    }

    const update = await ctx.waitFor(annulmentUpdate.topic, { until: respondBy });
    const end = async (r: AnnulmentResult): Promise<AnnulmentResult> => {
      await ctx.act.notifyAnnulmentDecision({ ...ref, annulmentId: input.annulmentId, outcome: r.outcome, annulledFrom: r.annulledFrom });
      await ctx.act.recordDecision({ ...ref, outcome: r.outcome, decidedBy: r.decidedBy });
      await ctx.act.markMet({ ...ref, deadlineId: deadline.deadlineId, at: (await ctx.now()).toISOString() });
      await ctx.act.closeCase({ ...ref, outcome: r.outcome });
      return r;
    };

    const endRedeclared = async (declarationCaseId: string | null, responded: boolean): Promise<AnnulmentResult> => {
      await ctx.act.recordTimeline({ ...ref, key: 'residence.redeclared', kind: 'residence.redeclared', data: { declarationCaseId } });
      await ctx.act.closeAnnulment({ ...ref, annulmentId: input.annulmentId, status: 'ended-redeclared' });
      return end({ outcome: 'ended-redeclared', annulledFrom: null, annulled: [], decidedBy: 'system', responded });
    };

    if (update?.kind === 'redeclared') return endRedeclared(update.declarationCaseId, false);
    await ctx.act.recordTimeline({
      ...ref,
      key: 'residence.basis-response',
      kind: update ? 'residence.basis-response' : 'residence.no-response',
      data: update?.kind === 'response' ? { attachments: update.attachmentIds.length } : {},
    });

    await ctx.act.setStage({ ...ref, stage: 'review' });
    const review = await humanTask<AnnulmentReviewDecision | WithdrawnReview, Activities>(ctx, {
      municipalityId: input.municipalityId,
      step: 'annulment-review',
      role: 'caseworker',
      formKey: 'residence.annulment-review',
      title: 'residence:annulment.taskTitle',
      due: { at: deadline.dueAt },
      remindBeforeMs: periods[RESIDENCE_PERIODS.reviewReminderDays].value * DAY_MS,
    });
    if (review.outcome !== 'completed') throw new Error('unreachable: review waits after escalation');
    const responded = update?.kind === 'response';
    if (review.decision.outcome === 'withdrawn') return endRedeclared(review.decision.declarationCaseId ?? null, responded);
    // Did a re-declaration arrive during the review? A deadline of now makes this a look, not a wait.
    const look = async () => ctx.waitFor(annulmentUpdate.topic, { until: await ctx.now() });
    for (let late = await look(); late; late = await look()) {
      if (late.kind === 'redeclared') return endRedeclared(late.declarationCaseId, responded);
    }
    const decidedBy = review.completedBy;
    if (review.decision.outcome === 'keep') {
      await ctx.act.closeAnnulment({ ...ref, annulmentId: input.annulmentId, status: 'kept' });
      return end({ outcome: 'kept', annulledFrom: null, annulled: [], decidedBy, responded });
    }
    // The activity takes the decision date in the municipality's time zone and says which it used.
    const proposed = review.decision.basisAtDeclaration ? review.completedAt.slice(0, 10) : input.declaredOn;
    const { annulled, annulledFrom } = await ctx.act.annulDeclaredResidence({ ...ref, annulmentId: input.annulmentId, annulledFrom: proposed });
    return end({ outcome: 'annulled', annulledFrom, annulled, decidedBy, responded });
  },
);
