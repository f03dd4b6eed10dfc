import { defineProcess, humanTask } from '../kit';
import type { CaseActivities } from '../../activities/case/case.activities';
import type { DeadlineActivities } from '../../activities/deadlines';
import type { ParameterActivities } from '../../activities/parameters';
import type { ResidenceActivities } from '../../activities/residence/residence.activities';
import { documentsSupplied, type ResidenceReviewDecision } from './events';
import type { DeclarationResult } from './v1';
import { DAY_MS, RESIDENCE_PERIODS } from './periods';

/**
 * v2 of the residence declaration: as v1, and its periods (documents due, the reminder before the
 * review is due) are the effective-dated parameters in force on the day they start to run, read by
 * an activity at the start of the step (recorded in the history, shown on the case) instead of
 * code constants; the input no longer carries a documents period.
 */
export interface DeclarationInputV2 {
  municipalityId: string;
  declarationId: string;
  applicantCode: string;
  personCodes: string[];
  addressCode: string;
  basis: string;
}

type Activities = CaseActivities & DeadlineActivities & ParameterActivities & ResidenceActivities;
const REGISTER_RETRY = { retry: { maxAttempts: 8, initialIntervalMs: 200, backoffCoefficient: 2, maxIntervalMs: 5_000 }, timeoutMs: 15_000 };

export const residenceDeclarationV2 = defineProcess<DeclarationInputV2, DeclarationResult, Activities>(
  {
    key: 'residence-declaration',
    version: 2,
    activities: {
      checkDeclarationAddress: REGISTER_RETRY,
      checkDeclarationBasis: REGISTER_RETRY,
      checkDeclaredPersons: REGISTER_RETRY,
      registerDeclaredResidence: { retry: { maxAttempts: 20, initialIntervalMs: 200, backoffCoefficient: 2, maxIntervalMs: 30_000 } },
      issueResidenceCertificates: { retry: { maxAttempts: 6 }, timeoutMs: 60_000 },
    },
  },
  async (ctx, input) => {
    const ref = { caseId: ctx.caseId, municipalityId: input.municipalityId };
    const received = await ctx.now();
    const deadline = await ctx.act.startDeadline({ ...ref, key: 'decision', ruleKey: 'residence-declaration.decision', startedAt: received.toISOString() });
    await ctx.act.setStage({ ...ref, stage: 'registry-checks' });

    const [address, basis, persons] = await Promise.all([
      ctx.act.checkDeclarationAddress({ ...ref, addressCode: input.addressCode }),
      ctx.act.checkDeclarationBasis({ ...ref, applicantCode: input.applicantCode, addressCode: input.addressCode, basis: input.basis }),
      ctx.act.checkDeclaredPersons({ ...ref, personCodes: input.personCodes }),
    ]);

    const result = (outcome: DeclarationResult['outcome'], decidedBy: string, automatic: boolean, documentIds: string[] = [], deliveredBy: string | null = null): DeclarationResult => ({
      outcome, decidedBy, automatic, documentIds, deliveredBy,
    });

    // The form checked both at submission; the registers changed in between.
    if (!address.exists || persons.missing.length > 0) {
      const reason = !address.exists ? 'address-not-in-register' : 'person-not-in-register';
      await ctx.act.rejectDeclaration({ ...ref, declarationId: input.declarationId, reason });
      await ctx.act.recordDecision({ ...ref, outcome: 'rejected', decidedBy: 'system', reason });
      await ctx.act.markMet({ ...ref, deadlineId: deadline.deadlineId, at: (await ctx.now()).toISOString() });
      await ctx.act.closeCase({ ...ref, outcome: 'rejected' });
      return result('invalid', 'system', true);
    }

    let decidedBy = 'system';
    let automatic = basis.confirmed;
    if (!basis.confirmed) {
      automatic = false;
      for (let round = 1; ; round++) {
        await ctx.act.setStage({ ...ref, stage: 'review' });
        const reminder = await ctx.act.readParameters({ ...ref, step: `review:${round}`, on: (await ctx.now()).toISOString(), keys: [RESIDENCE_PERIODS.reviewReminderDays] });
        const review = await humanTask<ResidenceReviewDecision, Activities>(ctx, {
          municipalityId: input.municipalityId,
          step: `review:${round}`,
          role: 'caseworker',
          formKey: 'residence.review',
          title: 'residence:review.taskTitle',
          due: { at: deadline.dueAt },
          remindBeforeMs: reminder[RESIDENCE_PERIODS.reviewReminderDays].value * DAY_MS,
        });
        if (review.outcome !== 'completed') throw new Error('unreachable: review waits after escalation');
        decidedBy = review.completedBy;
        const d = review.decision;
        if (d.outcome === 'approve') break;
        if (d.outcome === 'reject') {
          const reason = d.reason ?? '';
          await ctx.act.rejectDeclaration({ ...ref, declarationId: input.declarationId, reason });
          await ctx.act.recordDecision({ ...ref, outcome: 'rejected', decidedBy, reason });
          await ctx.act.markMet({ ...ref, deadlineId: deadline.deadlineId, at: (await ctx.now()).toISOString() });
          await ctx.act.closeCase({ ...ref, outcome: 'rejected' });
          return result('rejected', decidedBy, false);
        }
        // request-documents: the decision clock stops until the documents arrive.
        const asked = await ctx.now();
        const due = await ctx.act.readParameters({ ...ref, step: `documents:${round}`, on: asked.toISOString(), keys: [RESIDENCE_PERIODS.documentsDueDays] });
        const respondBy = new Date(asked.getTime() + due[RESIDENCE_PERIODS.documentsDueDays].value * DAY_MS);
        await ctx.act.pauseDeadline({ ...ref, deadlineId: deadline.deadlineId, at: asked.toISOString(), reason: 'documents-requested' });
        await ctx.act.requestDocuments({ ...ref, declarationId: input.declarationId, round, documents: d.documentsRequested ?? '', respondBy: respondBy.toISOString() });
        const supplied = await ctx.waitFor(documentsSupplied.topic, { until: respondBy });
        const resumed = await ctx.act.resumeDeadline({ ...ref, deadlineId: deadline.deadlineId, at: (supplied?.suppliedAt ?? respondBy.toISOString()) });
        deadline.dueAt = resumed.dueAt;
        await ctx.act.recordTimeline({ ...ref, key: `residence.documents-round:${round}`, kind: supplied ? 'residence.documents-supplied' : 'residence.documents-not-supplied', data: { attachments: supplied?.attachmentIds.length ?? 0 } });
      }
    }

    await ctx.act.setStage({ ...ref, stage: 'registering' });
    await ctx.act.registerDeclaredResidence({ ...ref, declarationId: input.declarationId });
    const registeredAt = await ctx.now();
    await ctx.act.endPendingAnnulments({ ...ref, personCodes: input.personCodes, at: registeredAt.toISOString() });
    await ctx.act.notifyOwners({ ...ref, declarationId: input.declarationId, owners: basis.owners });
    const { documentIds } = await ctx.act.issueResidenceCertificates({ ...ref, declarationId: input.declarationId });
    const delivery = await ctx.act.deliverCertificates({ ...ref, declarationId: input.declarationId, documentIds });
    await ctx.act.recordDecision({ ...ref, outcome: 'registered', decidedBy, reason: automatic ? basis.reason : undefined });
    await ctx.act.markMet({ ...ref, deadlineId: deadline.deadlineId, at: (await ctx.now()).toISOString() });
    await ctx.act.closeCase({ ...ref, outcome: 'registered' });
    return result('registered', decidedBy, automatic, documentIds, delivery.channel);
  },
);
