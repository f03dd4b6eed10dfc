import { DeterminismViolationError } from '@temporalio/workflow';
import type { WorkflowBundle } from '@temporalio/worker';
import { HistoryBuilder } from '../../support/history-builder';
import { bundleForReplay, replayHistory } from '../../support/temporal-replay';
import { refusedHistory, review, toAssessment, visit, visitRecord } from './replay-fixtures';

/**
 * social-assistance@v2 (the interview / home visit) replayed on Temporal from histories built to
 * match what each path commands (activities, timers, in order). Values are checked by the DBOS
 * integration test (test/integration/social-assistance/visits.test.ts); replay checks that the
 * Temporal bundle makes the same commands, and fails when a history does not match.
 */
jest.setTimeout(30_000);
let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleForReplay();
}, 60_000);

const RECORD = visitRecord('wife lives there');

/** Refusal: decision recorded, issued and delivered, clock met, case closed. */
const refused = (h: HistoryBuilder, number: string) =>
  replayHistory(bundle, refusedHistory(h), number);

describe('Temporal replay of social-assistance@v2', () => {
  it('no visit required: straight to the review, refused', async () => {
    const h = toAssessment('v2').activity('socialAssistanceVisitRule', { reasons: [] });
    review(h, 't-1', { outcome: 'refuse', reason: 'savings' });
    await refused(h, 'SOC-2026-000011');
  });

  it('the rule requires a visit; at review another is arranged; back at review, refused', async () => {
    const h = toAssessment('v2').activity('socialAssistanceVisitRule', {
      reasons: ['household-difference'],
    });
    visit(h, 't-1', RECORD);
    review(h, 't-2', { outcome: 'arrange-visit' });
    visit(h, 't-3', { ...RECORD, kind: 'office-interview', conclusion: 'confirms-declaration' });
    review(h, 't-4', { outcome: 'refuse', reason: 'savings' });
    await refused(h, 'SOC-2026-000012');
  });

  it('fails with a determinism violation when a history goes to review without asking the visit rule', async () => {
    const h = review(toAssessment('v2'), 't-1', { outcome: 'refuse', reason: 'savings' });
    await expect(refused(h, 'SOC-2026-000013')).rejects.toThrow(DeterminismViolationError);
  });

  it('fails with a determinism violation when a history skips the visit the rule required', async () => {
    const h = toAssessment('v2').activity('socialAssistanceVisitRule', {
      reasons: ['first-application'],
    });
    review(h, 't-1', { outcome: 'refuse', reason: 'savings' });
    await expect(refused(h, 'SOC-2026-000014')).rejects.toThrow(DeterminismViolationError);
  });
});
