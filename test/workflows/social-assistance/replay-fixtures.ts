import { EVENT_SIGNAL } from '../../../workflows/temporal-contract';
import { HistoryBuilder } from '../../support/history-builder';

/** What the social-assistance replay tests of every version share: the input and the way to the first assessment. */
export const DAY = 86_400_000;
export const municipalityId = '00000000-0000-4000-8000-00000000000a';
export const applicant = '150385-12346';
export const input = {
  municipalityId,
  applicationId: '00000000-0000-4000-8000-0000000000a1',
  applicantCode: applicant,
  appliedOn: '2026-12-06',
};
export const REGISTERS = [
  'checkIncomeRegister',
  'checkSocialInsuranceRegister',
  'checkEmploymentRegister',
  'checkDisabilityRegister',
  'checkPropertyRegister',
  'checkVehicleRegister',
  'checkAssistanceRegister',
];
export const iso = (h: HistoryBuilder, days: number) =>
  new Date(h.now.getTime() + days * DAY).toISOString();
export const completion = (taskId: string, decision: object) => ({
  topic: `task.completed:${taskId}`,
  payload: { taskId, decision, completedBy: 'acc-1', completedAt: '2026-12-08T10:00:00.000Z' },
});
export const assessed = {
  status: 'needy',
  gmiBenefitCents: 18_700,
  housingBenefitCents: 0,
  payable: ['gmi'],
};

/** The household the process reads: the applicant alone, without income or assets. */
export const HOUSEHOLD = {
  memberCodes: [applicant],
  cooperationCodes: [applicant],
  members: [
    {
      personalCode: applicant,
      regularIncomeCents: 0,
      disability: false,
      cadastreNumbers: [],
      vehicles: [],
    },
  ],
};

/** The review task with its reminder timer, completed with `decision`. */
export function review(h: HistoryBuilder, taskId: string, decision: object): HistoryBuilder {
  h.activity('setStage');
  h.activity('openTask', { taskId, dueAt: iso(h, 31), remindAt: iso(h, 26) });
  const reminder = h.startTimer(26 * DAY);
  h.signal(EVENT_SIGNAL, completion(taskId, decision)).workflowTask();
  h.cancelTimer(reminder);
  return h;
}

/** The visit task (v2, v3: timeline, stage, task with its reminder), recorded with `record`. */
export function visit(h: HistoryBuilder, taskId: string, record: object): HistoryBuilder {
  h.activity('recordTimeline').activity('setStage');
  h.activity('openTask', { taskId, dueAt: iso(h, 31), remindAt: iso(h, 26) });
  const reminder = h.startTimer(26 * DAY);
  h.signal(EVENT_SIGNAL, completion(taskId, record)).workflowTask();
  h.cancelTimer(reminder);
  return h.activity('recordSocialAssistanceVisit');
}

/** A home visit's record that found differences (`findings` as given). */
export const visitRecord = (findings: string) => ({
  kind: 'home-visit',
  heldOn: '2026-12-07',
  participants: 'J; caseworker',
  findings,
  conclusion: 'differences-found',
});

/** At review: information requested (`question`); the answer arrives 3 days later; the clock restarts. */
export function answered(h: HistoryBuilder, taskId: string, question: string): HistoryBuilder {
  review(h, taskId, { outcome: 'request-information', question, answerBy: '2026-12-20' });
  h.activity('pauseDeadline').activity('setStage');
  h.activity('requestSocialAssistanceInformation', { answerUntil: iso(h, 14) });
  const wait = h.startTimer(14 * DAY);
  h.advance(3 * DAY).signal(EVENT_SIGNAL, {
    topic: 'social-assistance.information-supplied:1',
    payload: { round: 1, answeredAt: iso(h, 0), via: 'portal' },
  });
  h.workflowTask().cancelTimer(wait);
  return h.activity('resumeDeadline', { dueAt: iso(h, 31) }).activity('recordTimeline');
}

/** After a refusal at review: decision recorded, issued and delivered, clock met, case closed. */
export function refusedHistory(h: HistoryBuilder) {
  h.activity('setStage')
    .activity('recordDecision')
    .activity('issueSocialAssistanceDecision', { documentId: 'doc-1', registrationNumber: 'DEC-1' })
    .activity('deliverSocialAssistanceDecision', { channel: 'eadrese' })
    .activity('markMet')
    .activity('closeCase');
  return h
    .completed({
      outcome: 'refused',
      decidedBy: 'acc-1',
      documentId: 'doc-1',
      benefits: [],
      paid: [],
      ended: null,
    })
    .build();
}

/** Deadline, the registers in parallel (one unavailable), the first assessment, of `version`. */
export function toAssessment(version: 'v1' | 'v2' | 'v3'): HistoryBuilder {
  const h = new HistoryBuilder({ workflowType: `social-assistance@${version}`, input: [input] });
  h.started().workflowTask();
  h.activity('startDeadline', { deadlineId: 'dl-1', dueAt: iso(h, 31) });
  h.activity('setStage');
  h.activity('readSocialAssistanceHousehold', HOUSEHOLD);
  const refs = ['checkHouseholdRegister', ...REGISTERS].map((a) => h.scheduleActivity(a));
  refs.forEach((r, i) =>
    i === 3
      ? h.failActivity(r, 'register unavailable')
      : h.completeActivity(r, { status: 'ok', flags: [], result: {}, attempts: 1 }),
  );
  h.workflowTask();
  h.activity('setStage');
  return h.activity('assessSocialAssistance', assessed);
}
