import { defineProcess, humanTask } from '../kit';
import { REGISTER_CHECK_OPTIONS, type RegisterCheckOutcome } from '../kit/register-checks';
import type { SocialAssistanceResult } from './v2';
import type { CaseActivities } from '../../activities/case/case.activities';
import type { DeadlineActivities } from '../../activities/deadlines';
import type { PaymentActivities } from '../../activities/payments';
import type { RegisterCheckActivities } from '../../activities/registry';
import type { SocialAssistanceActivities } from '../../activities/social-assistance/social-assistance.activities';
import {
  awardChanged,
  informationSupplied,
  type CooperationDecision,
  type GrantedBenefit,
  type SocialAssistanceInput,
  type SocialAssistanceReviewV2Decision,
  type VisitDecision,
} from './events';

type Activities = CaseActivities &
  DeadlineActivities &
  RegisterCheckActivities &
  PaymentActivities &
  SocialAssistanceActivities;

const DAY_MS = 86_400_000;
/**
 * Working days the caseworker has to sign the co-operation duties agreement with the household
 * after the decision: municipal practice, not a statutory term (the task escalates to the manager).
 */
const COOPERATION_WORKING_DAYS = 10;

type VisitReason = 'first-application' | 'household-difference' | 'arranged';

/**
 * Social assistance v3 (Latvia: SPSPL, MK 809/2020): v2, with the interview / home visit rule
 * applied again after each re-assessment. v2 reads the rule once, after the first assessment, so
 * a household difference that shows only after the requested information has arrived never leads
 * to a visit. The run
 * 1. starts the decision deadline (1 month from receipt of all information, restarting when
 *    requested information arrives: rule `social-assistance.decision`);
 * 2. asks the registers about every household member in parallel (population/household, social
 *    insurance, income, employment, disability, property, vehicles, and SPOLIS for the same
 *    assistance elsewhere); a register that does not answer is recorded unavailable and the case
 *    goes on (the caseworker sees it and may ask the applicant instead);
 * 3. assesses the application with the calculator and the rules in force on the application date
 *    (stored line by line on the case);
 * 3a. when the rules in force on the application date require it (parameters
 *    `social-assistance.visit.*`: a first application in this municipality, a household the
 *    population register does not confirm), a caseworker holds an interview or home visit and
 *    records it (`social-assistance.visit`) before the review; the decision clock keeps running;
 * 4. a caseworker reviews (`social-assistance.review-v2`): approve, partly (some benefits), refuse,
 *    request information, or arrange an interview / home visit (its task, then the review again;
 *    the clock keeps running). A request for information pauses the clock; the answer restarts it.
 *    Then (new in v3) the population register is asked again about the household as the
 *    application declares it now (check key `population:<applicant>:round-<n>`, a row beside the
 *    first round's), the assessment reruns, and the visit rule is applied again: a reason it gives
 *    now opens the visit task before the review of the new round, unless a visit of this case was
 *    already held for that same reason. The caseworker does not expect the rule to send them to
 *    the same household twice for the same thing: a first application stays a first application
 *    in every round, and a household the register contradicted has already been seen in person.
 *    A visit held for another reason, or one the caseworker arranged at review, does not stand in
 *    for the rule's reason. Whatever the earlier visit concluded (even `did-not-attend`), the rule
 *    does not repeat it: at review the caseworker may arrange another (`arrange-visit`);
 * 5. the decision is recorded with the award (one transaction), issued as a sealed document and
 *    delivered; a refusal closes the case;
 * 6. for each month of the benefit period the run reads the award as in force on the month's
 *    first day (another part of the system may stop it) and schedules that month's payments,
 *    reminds the resident to re-apply before the status ends, and closes the case.
 *
 * Everything but step 4's re-check and rule is v2's, copied: v2 keeps its steps inside its one
 * locked function, so none of them can be imported without editing v2's file (and its hash).
 */
export const socialAssistanceV3 = defineProcess<
  SocialAssistanceInput,
  SocialAssistanceResult,
  Activities
>(
  {
    key: 'social-assistance',
    version: 3,
    activities: {
      ...REGISTER_CHECK_OPTIONS,
      assessSocialAssistance: { retry: { maxAttempts: 5 }, timeoutMs: 30_000 },
      issueSocialAssistanceDecision: { retry: { maxAttempts: 6 }, timeoutMs: 60_000 },
    },
  },
  async (ctx, input) => {
    const ref = { caseId: ctx.caseId, municipalityId: input.municipalityId };
    const received = await ctx.now();
    const deadline = await ctx.act.startDeadline({
      ...ref,
      key: 'decision',
      ruleKey: 'social-assistance.decision',
      startedAt: received.toISOString(),
    });

    // Register checks: every member, every register, in parallel; unavailable ones do not stop the case.
    await ctx.act.setStage({ ...ref, stage: 'registry-checks' });
    const household = await ctx.act.readSocialAssistanceHousehold({
      ...ref,
      applicationId: input.applicationId,
    });
    const asOf = input.appliedOn;
    // The check is recorded unavailable on the case (register_checks) by the activity itself.
    const unavailable = (): RegisterCheckOutcome | null => null;
    const checks: Promise<RegisterCheckOutcome | null>[] = [
      ctx.act
        .checkHouseholdRegister({
          ...ref,
          personalCode: input.applicantCode,
          asOf,
          declared: { members: household.memberCodes.filter((c) => c !== input.applicantCode) },
        })
        .catch(unavailable),
    ];
    for (const m of household.members) {
      const base = { ...ref, personalCode: m.personalCode, asOf };
      checks.push(
        ctx.act
          .checkIncomeRegister({ ...base, declared: { totalNetCents: m.regularIncomeCents } })
          .catch(unavailable),
        ctx.act.checkSocialInsuranceRegister(base).catch(unavailable),
        ctx.act.checkEmploymentRegister(base).catch(unavailable),
        ctx.act
          .checkDisabilityRegister({ ...base, declared: m.disability ? {} : { group: null } })
          .catch(unavailable),
        ctx.act
          .checkPropertyRegister({ ...base, declared: { cadastralNumbers: m.cadastreNumbers } })
          .catch(unavailable),
        ctx.act
          .checkVehicleRegister({ ...base, declared: { registrationNumbers: m.vehicles } })
          .catch(unavailable),
        ctx.act.checkAssistanceRegister(base).catch(unavailable),
      );
    }
    await Promise.all(checks);

    await ctx.act.setStage({ ...ref, stage: 'assessment' });
    let round = 1;
    let assessment = await ctx.act.assessSocialAssistance({
      ...ref,
      applicationId: input.applicationId,
      round,
      asOf,
    });

    // The interview / home visit the rules in force on the application date require (read after
    // every assessment); the caseworker may also arrange one at any review.
    const rule = await ctx.act.socialAssistanceVisitRule({ ...ref, applicationId: input.applicationId, asOf });
    let visitFor: VisitReason[] = rule.reasons;
    /** The reasons a visit of this case was held for: the rule does not ask for one again. */
    const visitedFor = new Set<VisitReason>();
    let visits = 0;
    let reviews = 0;

    let decision: SocialAssistanceReviewV2Decision;
    let decidedBy: string;
    for (;;) {
      if (visitFor.length > 0) {
        // The decision clock keeps running: a visit is the authority's own inquiry, not information
        // the applicant owes.
        visits += 1;
        await ctx.act.recordTimeline({
          ...ref,
          key: `social-assistance.visit-required:${visits}`,
          kind: 'social-assistance.visit-required',
          data: { visit: visits, round, reasons: visitFor },
        });
        await ctx.act.setStage({ ...ref, stage: 'visit' });
        const held = await humanTask<VisitDecision, Activities>(ctx, {
          municipalityId: input.municipalityId,
          step: `visit:${visits}`,
          role: 'caseworker',
          formKey: 'social-assistance.visit',
          title: 'social-assistance:visit.taskTitle',
          due: { at: deadline.dueAt },
          remindBeforeMs: 5 * DAY_MS,
        });
        if (held.outcome !== 'completed') throw new Error('unreachable: the visit task waits after escalation');
        await ctx.act.recordSocialAssistanceVisit({
          ...ref,
          visit: visits,
          round,
          reasons: visitFor,
          recordedBy: held.completedBy,
          record: held.decision,
        });
        for (const reason of visitFor) visitedFor.add(reason);
        visitFor = [];
      }
      await ctx.act.setStage({ ...ref, stage: 'review' });
      reviews += 1;
      const review = await humanTask<SocialAssistanceReviewV2Decision, Activities>(ctx, {
        municipalityId: input.municipalityId,
        // The first review of a round is `review:<round>`; one after a visit it arranged, `review:<round>:<n>`.
        step: reviews === 1 ? `review:${round}` : `review:${round}:${reviews}`,
        role: 'caseworker',
        formKey: 'social-assistance.review-v2',
        title: 'social-assistance:review.taskTitle',
        due: { at: deadline.dueAt },
        remindBeforeMs: 5 * DAY_MS,
      });
      if (review.outcome !== 'completed') throw new Error('unreachable: review waits after escalation');
      if (review.decision.outcome === 'arrange-visit') {
        visitFor = ['arranged'];
        continue;
      }
      if (review.decision.outcome !== 'request-information') {
        decision = review.decision;
        decidedBy = review.completedBy;
        break;
      }
      // Request for information: the clock stops; the answer restarts it (SPSPL: the month runs
      // from receipt of all information) and the household is assessed again.
      const asked = await ctx.now();
      await ctx.act.pauseDeadline({
        ...ref,
        deadlineId: deadline.deadlineId,
        at: asked.toISOString(),
        reason: 'information-requested',
      });
      await ctx.act.setStage({ ...ref, stage: 'awaiting-information' });
      const req = await ctx.act.requestSocialAssistanceInformation({
        ...ref,
        applicationId: input.applicationId,
        round,
        question: review.decision.question ?? '',
        answerBy: review.decision.answerBy ?? '',
      });
      const answered = await ctx.waitFor(informationSupplied.for(String(round)), {
        until: new Date(req.answerUntil),
      });
      const resumed = await ctx.act.resumeDeadline({
        ...ref,
        deadlineId: deadline.deadlineId,
        at: answered?.answeredAt ?? req.answerUntil,
      });
      deadline.dueAt = resumed.dueAt;
      await ctx.act.recordTimeline({
        ...ref,
        key: `social-assistance.information:${round}`,
        kind: answered
          ? 'social-assistance.information-supplied'
          : 'social-assistance.information-not-supplied',
        data: { round, via: answered?.via ?? null },
      });
      round += 1;
      reviews = 0;
      // The household as the application now declares it, asked of the population register again
      // (a row of its own per round): the visit rule reads what the register says now.
      await ctx.act.setStage({ ...ref, stage: 'registry-checks' });
      const declared = await ctx.act.readSocialAssistanceHousehold({
        ...ref,
        applicationId: input.applicationId,
      });
      await ctx.act
        .checkHouseholdRegister({
          ...ref,
          personalCode: input.applicantCode,
          asOf,
          declared: { members: declared.memberCodes.filter((c) => c !== input.applicantCode) },
          key: `population:${input.applicantCode}:round-${round}`,
        })
        .catch(unavailable);
      await ctx.act.setStage({ ...ref, stage: 'assessment' });
      assessment = await ctx.act.assessSocialAssistance({
        ...ref,
        applicationId: input.applicationId,
        round,
        asOf,
      });
      const again = await ctx.act.socialAssistanceVisitRule({
        ...ref,
        applicationId: input.applicationId,
        asOf,
      });
      visitFor = again.reasons.filter((r) => !visitedFor.has(r));
    }

    await ctx.act.setStage({ ...ref, stage: 'deciding' });
    const asked: GrantedBenefit[] = assessment.payable;
    const benefits: GrantedBenefit[] =
      decision.outcome === 'refuse'
        ? []
        : decision.outcome === 'partly'
          ? (decision.benefits ?? []).filter((b) => asked.includes(b))
          : asked;
    const granted = decision.outcome !== 'refuse' && (benefits.length > 0 || assessment.status !== 'none');
    const outcome: SocialAssistanceResult['outcome'] = !granted
      ? 'refused'
      : decision.outcome === 'partly'
        ? 'partly-granted'
        : 'granted';

    const done = async (documentId: string, paid: string[], ended: SocialAssistanceResult['ended']) => {
      await ctx.act.closeCase({ ...ref, outcome });
      return { outcome, decidedBy, documentId, benefits, paid, ended };
    };

    if (!granted) {
      await ctx.act.recordDecision({ ...ref, outcome, decidedBy, reason: decision.reason });
      const doc = await ctx.act.issueSocialAssistanceDecision({ ...ref, round });
      await ctx.act.deliverSocialAssistanceDecision({ ...ref, documentId: doc.documentId });
      await ctx.act.markMet({ ...ref, deadlineId: deadline.deadlineId, at: (await ctx.now()).toISOString() });
      return done(doc.documentId, [], null);
    }

    const award = await ctx.act.grantAward({
      ...ref,
      applicationId: input.applicationId,
      round,
      outcome,
      benefits,
      decidedBy,
      reason: decision.reason,
    });
    const doc = await ctx.act.issueSocialAssistanceDecision({ ...ref, round });
    await ctx.act.deliverSocialAssistanceDecision({ ...ref, documentId: doc.documentId });
    await ctx.act.markMet({ ...ref, deadlineId: deadline.deadlineId, at: (await ctx.now()).toISOString() });

    // GMI comes with a co-operation duties agreement (SPSPL 7(1)) with the household's members of
    // working age, not with pensioners, persons with a disability or youths under 20 in full-time
    // education (DOMAIN.md). The caseworker records whether it was signed; without it no GMI is paid.
    let payable: GrantedBenefit[] = benefits;
    if (benefits.includes('gmi') && household.cooperationCodes.length > 0) {
      await ctx.act.setStage({ ...ref, stage: 'cooperation' });
      const agreement = await humanTask<CooperationDecision, Activities>(ctx, {
        municipalityId: input.municipalityId,
        step: 'cooperation',
        role: 'caseworker',
        formKey: 'social-assistance.cooperation',
        title: 'social-assistance:cooperation.taskTitle',
        due: { workingDays: COOPERATION_WORKING_DAYS },
      });
      if (agreement.outcome !== 'completed') throw new Error('unreachable: the agreement task waits after escalation');
      await ctx.act.recordTimeline({
        ...ref,
        key: 'social-assistance.cooperation',
        kind: 'social-assistance.cooperation',
        data: { outcome: agreement.decision.outcome, members: household.cooperationCodes.length },
      });
      if (agreement.decision.outcome === 'declined') payable = benefits.filter((b) => b !== 'gmi');
    }

    // The award's life: month by month, as in force on each month's first day.
    await ctx.act.setStage({ ...ref, stage: 'paying' });
    const paid: { key: string; day: string }[] = [];
    let ended: SocialAssistanceResult['ended'] = null;
    // Waiting for a month is a wait for `awardChanged` until the month starts: the engines wake it
    // when the time comes (also when a test moves its clock), and a change to the award (stopped)
    // wakes it at once. Returns the award's state as read for `day`, or 'active' at `until`.
    const waitUntil = async (until: string, day: string): Promise<'active' | 'ended' | 'stopped'> => {
      while ((await ctx.now()).getTime() < Date.parse(until)) {
        const news = await ctx.waitFor(awardChanged.topic, { until: new Date(until) });
        if (!news) break;
        const m = await ctx.act.readAwardMonth({ ...ref, day });
        if (m.state !== 'active') {
          for (const p of paid)
            if (m.stoppedOn !== null && p.day >= m.stoppedOn)
              await ctx.act.cancelPayment({ ...ref, key: p.key });
          return m.state;
        }
      }
      return 'active';
    };
    for (const month of award.months) {
      const waited = await waitUntil(month.startsAt, month.day);
      if (waited !== 'active') {
        ended = waited;
        break;
      }
      const m = await ctx.act.readAwardMonth({ ...ref, day: month.day });
      if (m.state !== 'active') {
        // Stopped (or ended) before this month: withdraw what no payment run has taken yet of
        // the months from the stop on.
        for (const p of paid)
          if (m.stoppedOn !== null && p.day >= m.stoppedOn)
            await ctx.act.cancelPayment({ ...ref, key: p.key });
        ended = m.state;
        break;
      }
      for (const p of m.payments.filter((x) => payable.some((b) => x.key.startsWith(`${b}:`)))) {
        await ctx.act.schedulePayment({ ...ref, ...p, createdBy: 'process:social-assistance' });
        paid.push({ key: p.key, day: month.day });
      }
      if (month.remind) await ctx.act.remindReassessment({ ...ref, validUntil: award.validUntil });
    }
    if (ended === null && award.awardId !== null) {
      const waited = await waitUntil(award.endsAt, award.validUntil);
      ended = waited !== 'active' ? waited : (await ctx.act.endAward({ ...ref })).state;
    }
    return done(doc.documentId, paid.map((p) => p.key), ended);
  },
);
