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

/** Deadline, the registers in parallel (one unavailable), the first assessment, of `version`. */
export function toAssessment(version: 'v1' | 'v2' | 'v3'): HistoryBuilder {
  const h = new HistoryBuilder({ workflowType: `social-assistance@${version}`, input: [input] });
  h.started().workflowTask();
  h.activity('startDeadline', { deadlineId: 'dl-1', dueAt: iso(h, 31) });
  h.activity('setStage');
  h.activity('readSocialAssistanceHousehold', {
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
  });
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
