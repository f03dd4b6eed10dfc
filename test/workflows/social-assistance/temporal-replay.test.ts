import { DeterminismViolationError } from '@temporalio/workflow';
import type { WorkflowBundle } from '@temporalio/worker';
import { EVENT_SIGNAL } from '../../../workflows/temporal-contract';
import { bundleForReplay, replayHistory } from '../../support/temporal-replay';
import {
  DAY,
  answered,
  assessed,
  completion,
  iso,
  refusedHistory,
  review,
  toAssessment,
} from './replay-fixtures';

/**
 * social-assistance@v1 replayed on Temporal from histories built to match what each path commands
 * (activities, timers, in order). Values are checked by the DBOS integration test
 * (test/integration/social-assistance/process.test.ts); replay checks that the Temporal bundle
 * makes the same commands, and fails when a history does not match.
 */
jest.setTimeout(30_000);
let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleForReplay();
}, 60_000);

describe('Temporal replay of social-assistance@v1', () => {
  it('refuses: decision recorded, issued and delivered, case closed', async () => {
    const h = review(toAssessment('v1'), 't-1', { outcome: 'refuse', reason: 'savings' });
    await replayHistory(bundle, refusedHistory(h), 'SOC-2026-000001');
  });

  it('approves after a request for information; pays each month of the award, reminds, ends and closes', async () => {
    const h = answered(toAssessment('v1'), 't-1', 'bank statement');
    h.activity('setStage').activity('assessSocialAssistance', assessed);
    review(h, 't-2', { outcome: 'approve' });
    h.activity('setStage');
    h.activity('grantAward', {
      awardId: 'aw-1',
      validFrom: '2026-12-10',
      validUntil: '2027-06-09',
      months: [
        { day: '2026-12-10', startsAt: iso(h, -1), remind: false },
        { day: '2027-01-10', startsAt: iso(h, 30), remind: false },
        { day: '2027-02-10', startsAt: iso(h, 60), remind: true },
      ],
      endsAt: iso(h, 180),
    });
    h.activity('issueSocialAssistanceDecision', {
      documentId: 'doc-1',
      registrationNumber: 'DEC-1',
    })
      .activity('deliverSocialAssistanceDecision', { channel: 'eadrese' })
      .activity('markMet');
    // The co-operation duties agreement before GMI is paid.
    h.activity('setStage');
    h.activity('openTask', { taskId: 't-3', dueAt: iso(h, 14), remindAt: null });
    const due = h.startTimer(14 * DAY);
    h.signal(EVENT_SIGNAL, completion('t-3', { outcome: 'agreed' })).workflowTask();
    h.cancelTimer(due);
    h.activity('recordTimeline').activity('setStage');
    const payment = (month: string) => ({
      state: 'active',
      stoppedOn: null,
      payments: [
        {
          key: `gmi:${month}`,
          payee: { kind: 'resident', name: 'J', iban: 'LV80BANK0000435195001' },
          amountCents: 18_700,
          dueMonth: month,
          remittance: `GMI ${month}`,
        },
      ],
    });
    h.activity('readAwardMonth', payment('2026-12')).activity('schedulePayment');
    for (const [days, month] of [
      [30, '2027-01'],
      [30, '2027-02'],
    ] as const) {
      const t = h.startTimer(days * DAY);
      h.advance(days * DAY)
        .fireTimer(t)
        .workflowTask();
      h.activity('readAwardMonth', payment(month)).activity('schedulePayment');
    }
    h.activity('remindReassessment');
    const end = h.startTimer(120 * DAY);
    h.advance(121 * DAY)
      .fireTimer(end)
      .workflowTask();
    h.activity('endAward', { state: 'ended' }).activity('closeCase');
    await replayHistory(
      bundle,
      h
        .completed({
          outcome: 'granted',
          decidedBy: 'acc-1',
          documentId: 'doc-1',
          benefits: ['gmi'],
          paid: ['gmi:2026-12', 'gmi:2027-01', 'gmi:2027-02'],
          ended: 'ended',
        })
        .build(),
      'SOC-2026-000002',
    );
  });

  it('fails with a determinism violation when a history pays without reading the award month', async () => {
    const h = review(toAssessment('v1'), 't-1', { outcome: 'approve' });
    h.activity('setStage');
    h.activity('grantAward', {
      awardId: 'aw-1',
      validFrom: '2026-12-10',
      validUntil: '2027-06-09',
      months: [{ day: '2026-12-10', startsAt: iso(h, -1), remind: true }],
      endsAt: iso(h, 180),
    });
    h.activity('issueSocialAssistanceDecision', {
      documentId: 'doc-1',
      registrationNumber: 'DEC-1',
    })
      .activity('deliverSocialAssistanceDecision', { channel: 'eadrese' })
      .activity('markMet')
      .activity('setStage')
      .activity('schedulePayment');
    await expect(replayHistory(bundle, h.completed({}).build(), 'SOC-2026-000003')).rejects.toThrow(
      DeterminismViolationError,
    );
  });
});
