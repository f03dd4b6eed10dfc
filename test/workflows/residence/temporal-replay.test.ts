import { DeterminismViolationError } from '@temporalio/workflow';
import type { WorkflowBundle } from '@temporalio/worker';
import {
  annulmentUpdate,
  documentsSupplied,
} from '../../../workflows/residence-declaration/events';
import { TASK_DECISION_FROM_CASE_FILE, deliveryNotified } from '../../../workflows/kit';
import { RESIDENCE_PERIODS } from '../../../workflows/residence-declaration/periods';
import { EVENT_SIGNAL } from '../../../workflows/temporal-contract';
import { HistoryBuilder, type JsonHistory, type TimerRef } from '../../support/history-builder';
import { bundleForReplay, replayHistory } from '../../support/temporal-replay';

/**
 * The residence processes replayed on Temporal from histories built to match what each path
 * commands (activities, timers, in order). Values are checked by the DBOS tests; replay checks
 * that the Temporal bundle makes the same commands, and fails when a history does not match.
 */
const DAY = 86_400_000;
jest.setTimeout(30_000);
let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleForReplay();
}, 60_000);
const replay = (history: JsonHistory, id = 'TUK-2026-000001'): Promise<void> =>
  replayHistory(bundle, history, id);

const municipalityId = '00000000-0000-4000-8000-00000000000a';
const declaration = {
  municipalityId,
  declarationId: '00000000-0000-4000-8000-0000000000d1',
  applicantCode: '150385-12346',
  personCodes: ['150385-12346'],
  addressCode: '101000001',
  basis: 'lease',
};
const registered = (automatic: boolean, decidedBy: string) => ({
  outcome: 'registered',
  decidedBy,
  automatic,
  documentIds: ['doc-1'],
  deliveredBy: 'eadrese',
});
const completion = (taskId: string, decision: object) => ({
  topic: `task.completed:${taskId}`,
  payload: { taskId, decision, completedBy: 'acc-1', completedAt: '2026-01-07T10:00:00.000Z' },
});
const iso = (h: HistoryBuilder, days: number) =>
  new Date(h.now.getTime() + days * DAY).toISOString();

/** Started: the legal clock and the first stage. */
function declarationStarted(): HistoryBuilder {
  const h = new HistoryBuilder({ workflowType: 'residence-declaration@v1', input: [declaration] });
  h.started().workflowTask();
  h.activity('startDeadline', { deadlineId: 'dl-1', dueAt: iso(h, 30) });
  return h.activity('setStage');
}

/** Then the three register checks scheduled together (Promise.all) and answered. */
function declarationToChecks(basisConfirmed: boolean): HistoryBuilder {
  const h = declarationStarted();
  const address = h.scheduleActivity('checkDeclarationAddress');
  const basis = h.scheduleActivity('checkDeclarationBasis');
  const persons = h.scheduleActivity('checkDeclaredPersons');
  h.completeActivity(address, { exists: true });
  h.completeActivity(basis, {
    confirmed: basisConfirmed,
    owners: basisConfirmed ? [] : ['010170-10006'],
    reason: basisConfirmed ? 'owner' : undefined,
  });
  h.completeActivity(persons, { missing: [] });
  return h.workflowTask();
}

/** Registration, annulments ended, owners told, certificate issued and delivered, case closed. */
function registration(h: HistoryBuilder, result: unknown): JsonHistory {
  h.activity('setStage')
    .activity('registerDeclaredResidence')
    .activity('endPendingAnnulments')
    .activity('notifyOwners');
  h.activity('issueResidenceCertificates', { documentIds: ['doc-1'] });
  h.activity('deliverCertificates', { channel: 'eadrese' });
  return h
    .activity('recordDecision')
    .activity('markMet')
    .activity('closeCase')
    .completed(result)
    .build();
}

/** Stage, the review task opened, its reminder timer started. */
function openReview(h: HistoryBuilder, taskId: string) {
  h.activity('setStage');
  h.activity('openTask', { taskId, dueAt: iso(h, 20), remindAt: iso(h, 17) });
  return h.startTimer(17 * DAY);
}

describe('Temporal replay of residence-declaration@v1', () => {
  it('registers at once when the registers confirm the legal basis', async () => {
    await replay(registration(declarationToChecks(true), registered(true, 'system')));
  });

  it('registers after a caseworker approves the review', async () => {
    const h = declarationToChecks(false);
    const reminder = openReview(h, 't-1');
    h.signal(EVENT_SIGNAL, completion('t-1', { outcome: 'approve' })).workflowTask();
    h.cancelTimer(reminder);
    await replay(registration(h, registered(false, 'acc-1')));
  });

  it('closes as rejected when the caseworker rejects', async () => {
    const h = declarationToChecks(false);
    const reminder = openReview(h, 't-1');
    h.signal(
      EVENT_SIGNAL,
      completion('t-1', { outcome: 'reject', reason: 'no lease' }),
    ).workflowTask();
    h.cancelTimer(reminder);
    h.activity('rejectDeclaration')
      .activity('recordDecision')
      .activity('markMet')
      .activity('closeCase');
    await replay(
      h
        .completed({
          outcome: 'rejected',
          decidedBy: 'acc-1',
          automatic: false,
          documentIds: [],
          deliveredBy: null,
        })
        .build(),
    );
  });

  it('pauses for requested documents, resumes when they arrive, then a second review approves', async () => {
    const h = declarationToChecks(false);
    const reminder = openReview(h, 't-1');
    h.signal(
      EVENT_SIGNAL,
      completion('t-1', { outcome: 'request-documents', documentsRequested: 'lease contract' }),
    ).workflowTask();
    h.cancelTimer(reminder);
    h.activity('pauseDeadline').activity('requestDocuments');
    const respondBy = h.startTimer(30 * DAY);
    h.advance(3 * DAY).signal(EVENT_SIGNAL, {
      topic: documentsSupplied.topic.topic,
      payload: { attachmentIds: ['a-1'], suppliedBy: 'citizen', suppliedAt: iso(h, 0) },
    });
    h.workflowTask().cancelTimer(respondBy);
    h.activity('resumeDeadline', { dueAt: iso(h, 23) }).activity('recordTimeline');
    const second = openReview(h, 't-2');
    h.signal(EVENT_SIGNAL, completion('t-2', { outcome: 'approve' })).workflowTask();
    h.cancelTimer(second);
    await replay(registration(h, registered(false, 'acc-1')));
  });

  it('replays a run whose first review was decided before issue 12 H4 (from the signal) and the second after it (from the case file)', async () => {
    const h = declarationToChecks(false);
    const reminder = openReview(h, 't-1');
    h.signal(
      EVENT_SIGNAL,
      completion('t-1', { outcome: 'request-documents', documentsRequested: 'lease contract' }),
    ).workflowTask();
    h.cancelTimer(reminder);
    h.activity('pauseDeadline').activity('requestDocuments');
    const respondBy = h.startTimer(30 * DAY);
    h.advance(3 * DAY).signal(EVENT_SIGNAL, {
      topic: documentsSupplied.topic.topic,
      payload: { attachmentIds: ['a-1'], suppliedBy: 'citizen', suppliedAt: iso(h, 0) },
    });
    h.workflowTask().cancelTimer(respondBy);
    h.activity('resumeDeadline', { dueAt: iso(h, 23) }).activity('recordTimeline');
    const second = openReview(h, 't-2');
    h.signal(EVENT_SIGNAL, {
      topic: 'task.completed:t-2',
      payload: { taskId: 't-2' },
    }).workflowTask();
    h.cancelTimer(second);
    h.patchMarker(TASK_DECISION_FROM_CASE_FILE);
    h.activity('readTaskDecision', {
      decision: { outcome: 'approve' },
      completedBy: 'acc-1',
      completedAt: iso(h, 0),
    });
    await replay(registration(h, registered(false, 'acc-1')));
  });

  it('fails with a determinism violation when the history registers before the checks', async () => {
    const h = declarationStarted();
    await expect(replay(registration(h, registered(true, 'system')))).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });

  it('fails with a determinism violation when one of the parallel checks is missing', async () => {
    const h = declarationStarted();
    const address = h.scheduleActivity('checkDeclarationAddress');
    const basis = h.scheduleActivity('checkDeclarationBasis');
    h.completeActivity(address, { exists: true })
      .completeActivity(basis, { confirmed: true, owners: [] })
      .workflowTask();
    await expect(replay(registration(h, registered(true, 'system')))).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });
});

const annulment = {
  municipalityId,
  annulmentId: '00000000-0000-4000-8000-0000000000a1',
  declaredOn: '2025-03-01',
};

/** Legal clock, invitation to show a legal basis, and the timer for the response date. */
function annulmentToInvitation(version = 1) {
  const h = new HistoryBuilder({
    workflowType: `residence-annulment@v${version}`,
    input: [annulment],
  });
  h.started().workflowTask();
  h.activity('startDeadline', { deadlineId: 'dl-1', dueAt: iso(h, 42) });
  h.activity('inviteToShowBasis');
  return { h, respondBy: h.startTimer(14 * DAY) };
}

function annulmentReviewToEnd(h: HistoryBuilder, decision: object, result: unknown): JsonHistory {
  h.activity('recordTimeline');
  const reminder = openReview(h, 't-a');
  h.signal(EVENT_SIGNAL, completion('t-a', decision)).workflowTask();
  h.cancelTimer(reminder);
  if ((decision as { outcome: string }).outcome === 'annul')
    h.activity('annulDeclaredResidence', { annulled: ['150385-12346'] });
  else h.activity('closeAnnulment');
  h.activity('notifyAnnulmentDecision')
    .activity('recordDecision')
    .activity('markMet')
    .activity('closeCase');
  return h.completed(result).build();
}

describe('Temporal replay of residence-annulment@v1', () => {
  it('annuls after the response date passes without an answer', async () => {
    const { h, respondBy } = annulmentToInvitation();
    h.advance(14 * DAY)
      .fireTimer(respondBy)
      .workflowTask();
    const result = {
      outcome: 'annulled',
      annulledFrom: '2025-03-01',
      annulled: ['150385-12346'],
      decidedBy: 'acc-1',
      responded: false,
    };
    await replay(
      annulmentReviewToEnd(
        h,
        { outcome: 'annul', basisAtDeclaration: false, reason: 'no basis' },
        result,
      ),
    );
  });

  it('keeps the residence when the person answers with a legal basis', async () => {
    const { h, respondBy } = annulmentToInvitation();
    h.advance(5 * DAY).signal(EVENT_SIGNAL, {
      topic: annulmentUpdate.topic.topic,
      payload: { kind: 'response', attachmentIds: ['a-1'], note: 'lease', at: iso(h, 0) },
    });
    h.workflowTask().cancelTimer(respondBy);
    const result = {
      outcome: 'kept',
      annulledFrom: null,
      annulled: [],
      decidedBy: 'acc-1',
      responded: true,
    };
    await replay(annulmentReviewToEnd(h, { outcome: 'keep', reason: 'lease shown' }, result));
  });

  it('ends without a decision when the person declares elsewhere before the response date', async () => {
    const { h, respondBy } = annulmentToInvitation();
    h.advance(2 * DAY).signal(EVENT_SIGNAL, {
      topic: annulmentUpdate.topic.topic,
      payload: { kind: 'redeclared', declarationCaseId: 'TUK-2026-000009', at: iso(h, 0) },
    });
    h.workflowTask().cancelTimer(respondBy);
    h.activity('recordTimeline').activity('closeAnnulment');
    h.activity('notifyAnnulmentDecision')
      .activity('recordDecision')
      .activity('markMet')
      .activity('closeCase');
    await replay(
      h
        .completed({
          outcome: 'ended-redeclared',
          annulledFrom: null,
          annulled: [],
          decidedBy: 'system',
          responded: false,
        })
        .build(),
    );
  });

  it('fails with a determinism violation when the history annuls without the review task', async () => {
    const { h, respondBy } = annulmentToInvitation();
    h.advance(14 * DAY)
      .fireTimer(respondBy)
      .workflowTask();
    h.activity('recordTimeline')
      .activity('setStage')
      .activity('annulDeclaredResidence', { annulled: [] });
    h.activity('notifyAnnulmentDecision')
      .activity('recordDecision')
      .activity('markMet')
      .activity('closeCase');
    await expect(replay(h.completed().build())).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});

describe('Temporal replay of residence-annulment@v2', () => {
  const redeclaredEnd = (h: HistoryBuilder, responded: boolean): JsonHistory => {
    h.activity('recordTimeline').activity('closeAnnulment');
    h.activity('notifyAnnulmentDecision')
      .activity('recordDecision')
      .activity('markMet')
      .activity('closeCase');
    return h
      .completed({
        outcome: 'ended-redeclared',
        annulledFrom: null,
        annulled: [],
        decidedBy: 'system',
        responded,
      })
      .build();
  };

  it('annuls after the response date as v1 does (the look for a late re-declaration schedules nothing)', async () => {
    const { h, respondBy } = annulmentToInvitation(2);
    h.advance(14 * DAY)
      .fireTimer(respondBy)
      .workflowTask();
    const result = {
      outcome: 'annulled',
      annulledFrom: '2025-03-01',
      annulled: ['150385-12346'],
      decidedBy: 'acc-1',
      responded: false,
    };
    await replay(
      annulmentReviewToEnd(
        h,
        { outcome: 'annul', basisAtDeclaration: false, reason: 'no basis' },
        result,
      ),
    );
  });

  /** v2 past the response date: the review task opens and `signals` arrive before the run's next step. */
  const reviewReceiving = (...signals: object[]): HistoryBuilder => {
    const { h, respondBy } = annulmentToInvitation(2);
    h.advance(14 * DAY)
      .fireTimer(respondBy)
      .workflowTask();
    h.activity('recordTimeline');
    const reminder = openReview(h, 't-a');
    for (const s of signals) h.signal(EVENT_SIGNAL, s);
    return h.workflowTask().cancelTimer(reminder);
  };
  const redeclaredUpdate = {
    topic: annulmentUpdate.topic.topic,
    payload: {
      kind: 'redeclared',
      declarationCaseId: 'TUK-2026-000009',
      at: '2026-01-20T10:00:00.000Z',
    },
  };
  const annulDecision = completion('t-a', {
    outcome: 'annul',
    basisAtDeclaration: false,
    reason: 'no basis',
  });

  it('ends as re-declared when the review task is withdrawn by a declaration elsewhere', async () => {
    await replay(
      redeclaredEnd(
        reviewReceiving(
          completion('t-a', { outcome: 'withdrawn', declarationCaseId: 'TUK-2026-000009' }),
        ),
        false,
      ),
    );
  });

  it('ends as re-declared when the re-declaration arrived during the review, before the decision', async () => {
    await replay(redeclaredEnd(reviewReceiving(redeclaredUpdate, annulDecision), false));
  });

  it('fails with a determinism violation when a v2 history annuls although a re-declaration arrived first', async () => {
    const h = reviewReceiving(redeclaredUpdate, annulDecision);
    h.activity('annulDeclaredResidence', { annulled: ['150385-12346'] });
    h.activity('notifyAnnulmentDecision')
      .activity('recordDecision')
      .activity('markMet')
      .activity('closeCase');
    await expect(replay(h.completed().build())).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});

/** What readParameters returns for the residence periods (values checked by the DBOS tests). */
const periods = (days: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(days).map(([key, value]) => [
      key,
      { key, value, unit: 'days', validFrom: '2000-01-01', scope: 'country', note: '' },
    ]),
  );

describe('Temporal replay of residence-annulment@v3 (periods read from parameters)', () => {
  const toInvitation = () => {
    const h = new HistoryBuilder({ workflowType: 'residence-annulment@v3', input: [annulment] });
    h.started().workflowTask();
    h.activity('startDeadline', { deadlineId: 'dl-1', dueAt: iso(h, 42) });
    h.activity(
      'readParameters',
      periods({
        [RESIDENCE_PERIODS.annulmentResponseDays]: 21,
        [RESIDENCE_PERIODS.reviewReminderDays]: 3,
      }),
    );
    h.activity('inviteToShowBasis');
    return { h, respondBy: h.startTimer(21 * DAY) };
  };

  /** No answer by the response date (`days` after the invitation): the caseworker annuls. */
  const noAnswerThenAnnulled = (
    { h, respondBy }: { h: HistoryBuilder; respondBy: TimerRef },
    days: number,
  ): JsonHistory => {
    h.advance(days * DAY)
      .fireTimer(respondBy)
      .workflowTask();
    const annulled = {
      outcome: 'annulled',
      annulledFrom: '2025-03-01',
      annulled: ['150385-12346'],
      decidedBy: 'acc-1',
      responded: false,
    };
    return annulmentReviewToEnd(
      h,
      { outcome: 'annul', basisAtDeclaration: false, reason: 'no basis' },
      annulled,
    );
  };

  it('waits the response period in force, then annuls after the review', async () => {
    await replay(noAnswerThenAnnulled(toInvitation(), 21));
  });

  it('fails with a determinism violation when the history has no parameter reading (a v2 history)', async () => {
    const history = noAnswerThenAnnulled(annulmentToInvitation(2), 14);
    const v3 = JSON.parse(
      JSON.stringify(history).replace(/residence-annulment@v2/g, 'residence-annulment@v3'),
    ) as JsonHistory;
    await expect(replay(v3)).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});

describe('Temporal replay of residence-annulment@v4 (response period from the deemed-notified date)', () => {
  const notice = (deemedNotifiedOn: string) => ({
    messageId: 'm-1',
    channel: 'e_address',
    sentAt: '2026-01-01T10:00:00.000Z',
    deemedNotifiedOn,
    appealUntil: null,
  });
  const toInvitation = () => {
    const h = new HistoryBuilder({ workflowType: 'residence-annulment@v4', input: [annulment] });
    h.started().workflowTask();
    h.activity('startDeadline', { deadlineId: 'dl-1', dueAt: iso(h, 42) });
    h.activity(
      'readParameters',
      periods({
        [RESIDENCE_PERIODS.annulmentResponseDays]: 14,
        [RESIDENCE_PERIODS.reviewReminderDays]: 3,
      }),
    );
    return h;
  };
  /** From the response period on: no answer by its end, the caseworker annuls. */
  const periodThenAnnulled = (h: HistoryBuilder): JsonHistory => {
    h.activity('setResponsePeriod', { respondBy: iso(h, 18), lastDay: '2026-01-19' });
    const respondBy = h.startTimer(18 * DAY);
    h.advance(18 * DAY)
      .fireTimer(respondBy)
      .workflowTask();
    return annulmentReviewToEnd(
      h,
      { outcome: 'annul', basisAtDeclaration: false, reason: 'no basis' },
      {
        outcome: 'annulled',
        annulledFrom: '2025-03-01',
        annulled: ['150385-12346'],
        decidedBy: 'acc-1',
        responded: false,
      },
    );
  };

  it('takes the delivery.notified signal sent while the invitation was being delivered, then waits the period counted from it', async () => {
    const h = toInvitation();
    const invite = h.scheduleActivity('inviteToShowBasis');
    h.signal(EVENT_SIGNAL, {
      topic: deliveryNotified.for('basis-invitation').topic,
      payload: notice('2026-01-05'),
    });
    h.completeActivity(invite).workflowTask();
    await replay(periodThenAnnulled(h));
  });

  it('reads the outbox when no signal came by the decision deadline (a signal lost in a crash)', async () => {
    const h = toInvitation().activity('inviteToShowBasis');
    const wait = h.startTimer(42 * DAY);
    h.advance(42 * DAY)
      .fireTimer(wait)
      .workflowTask();
    h.activity('readDeliveryNotice', notice('2026-01-05'));
    await replay(periodThenAnnulled(h));
  });

  it('fails with a determinism violation on a v3 history (response period from the opening day)', async () => {
    const h = new HistoryBuilder({ workflowType: 'residence-annulment@v4', input: [annulment] });
    h.started().workflowTask();
    h.activity('startDeadline', { deadlineId: 'dl-1', dueAt: iso(h, 42) });
    h.activity(
      'readParameters',
      periods({
        [RESIDENCE_PERIODS.annulmentResponseDays]: 14,
        [RESIDENCE_PERIODS.reviewReminderDays]: 3,
      }),
    );
    h.activity('inviteToShowBasis');
    const respondBy = h.startTimer(14 * DAY);
    h.advance(14 * DAY)
      .fireTimer(respondBy)
      .workflowTask();
    const history = annulmentReviewToEnd(
      h,
      { outcome: 'keep', reason: 'basis shown' },
      { outcome: 'kept', annulledFrom: null, annulled: [], decidedBy: 'acc-1', responded: false },
    );
    await expect(replay(history)).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});

describe('Temporal replay of residence-declaration@v2 (periods read from parameters)', () => {
  it('reads the reminder and the documents period at the start of each step, then registers', async () => {
    const h = new HistoryBuilder({
      workflowType: 'residence-declaration@v2',
      input: [declaration],
    });
    h.started().workflowTask();
    h.activity('startDeadline', { deadlineId: 'dl-1', dueAt: iso(h, 30) });
    h.activity('setStage');
    const address = h.scheduleActivity('checkDeclarationAddress');
    const basis = h.scheduleActivity('checkDeclarationBasis');
    const persons = h.scheduleActivity('checkDeclaredPersons');
    h.completeActivity(address, { exists: true });
    h.completeActivity(basis, { confirmed: false, owners: ['010170-10006'] });
    h.completeActivity(persons, { missing: [] });
    h.workflowTask();
    h.activity('setStage').activity(
      'readParameters',
      periods({ [RESIDENCE_PERIODS.reviewReminderDays]: 3 }),
    );
    h.activity('openTask', { taskId: 't-1', dueAt: iso(h, 20), remindAt: iso(h, 17) });
    const reminder = h.startTimer(17 * DAY);
    h.signal(
      EVENT_SIGNAL,
      completion('t-1', { outcome: 'request-documents', documentsRequested: 'lease contract' }),
    ).workflowTask();
    h.cancelTimer(reminder);
    h.activity('readParameters', periods({ [RESIDENCE_PERIODS.documentsDueDays]: 45 }));
    h.activity('pauseDeadline').activity('requestDocuments');
    const respondBy = h.startTimer(45 * DAY);
    h.advance(3 * DAY).signal(EVENT_SIGNAL, {
      topic: documentsSupplied.topic.topic,
      payload: { attachmentIds: ['a-1'], suppliedBy: 'citizen', suppliedAt: iso(h, 0) },
    });
    h.workflowTask().cancelTimer(respondBy);
    h.activity('resumeDeadline', { dueAt: iso(h, 23) }).activity('recordTimeline');
    h.activity('setStage').activity(
      'readParameters',
      periods({ [RESIDENCE_PERIODS.reviewReminderDays]: 3 }),
    );
    h.activity('openTask', { taskId: 't-2', dueAt: iso(h, 20), remindAt: iso(h, 17) });
    const second = h.startTimer(17 * DAY);
    h.signal(EVENT_SIGNAL, completion('t-2', { outcome: 'approve' })).workflowTask();
    h.cancelTimer(second);
    await replay(registration(h, registered(false, 'acc-1')));
  });
});

describe('Temporal replay of residence-certificate@v1', () => {
  it('issues the certificate and closes the case', async () => {
    const input = {
      municipalityId,
      kind: 'declared-residence',
      requesterCode: '150385-12346',
      subjectCode: '150385-12346',
      lang: 'lv',
    };
    const h = new HistoryBuilder({ workflowType: 'residence-certificate@v1', input: [input] });
    h.started().workflowTask();
    h.activity('issueRequestedCertificate', { documentId: 'doc-1' }).activity('closeCase');
    await replay(h.completed({ documentId: 'doc-1' }).build());
  });
});
