import { DeterminismViolationError } from '@temporalio/workflow';
import type { WorkflowBundle } from '@temporalio/worker';
import { HistoryBuilder } from '../../support/history-builder';
import { bundleForReplay, replayHistory } from '../../support/temporal-replay';
import {
  answered,
  HOUSEHOLD,
  assessed,
  refusedHistory,
  review,
  toAssessment,
  visit,
  visitRecord,
} from './replay-fixtures';

/**
 * social-assistance@v3 (the visit rule applied again after requested information) replayed on
 * Temporal from histories built to match what each path commands (activities, timers, in order).
 * Values are checked by the DBOS integration test
 * (test/integration/social-assistance/visits-after-information.test.ts); replay checks that the
 * Temporal bundle makes the same commands, and fails when a history does not match. A v2 history of
 * the same path (no re-check, no rule after the answer) still replays on v2 and not on v3.
 */
jest.setTimeout(30_000);
let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleForReplay();
}, 60_000);

/** v3 after the answer: the population register asked again, the assessment, the visit rule. */
function reassessed(h: HistoryBuilder, reasons: string[], flags: object[]): HistoryBuilder {
  h.activity('setStage').activity('readSocialAssistanceHousehold', HOUSEHOLD);
  h.activity('checkHouseholdRegister', { status: 'ok', flags, result: {}, attempts: 1 });
  h.activity('setStage').activity('assessSocialAssistance', assessed);
  return h.activity('socialAssistanceVisitRule', { reasons });
}

const DIFFERENCE = [{ code: 'resident_not_declared', personalCode: '230790-10002' }];

const RECORD = visitRecord('his brother lives there');

/** Refusal: decision recorded, issued and delivered, clock met, case closed. */
const refused = (h: HistoryBuilder, number: string) =>
  replayHistory(bundle, refusedHistory(h), number);

describe('Temporal replay of social-assistance@v3', () => {
  it('no visit at first; after the answer the register contradicts the household: the visit, then the review, refused', async () => {
    const h = toAssessment('v3').activity('socialAssistanceVisitRule', { reasons: [] });
    answered(h, 't-1', 'who lives with you?');
    reassessed(h, ['household-difference'], DIFFERENCE);
    visit(h, 't-2', RECORD);
    review(h, 't-3', { outcome: 'refuse', reason: 'savings' });
    await refused(h, 'SOC-2026-000021');
  });

  it('visited for the difference in round 1: the rule gives it again after the answer, no second visit', async () => {
    const h = toAssessment('v3').activity('socialAssistanceVisitRule', {
      reasons: ['household-difference'],
    });
    visit(h, 't-1', RECORD);
    answered(h, 't-2', 'who lives with you?');
    reassessed(h, ['household-difference'], DIFFERENCE);
    review(h, 't-3', { outcome: 'refuse', reason: 'savings' });
    await refused(h, 'SOC-2026-000022');
  });

  it('fails with a determinism violation when a history skips the visit the rule requires after the answer', async () => {
    const h = toAssessment('v3').activity('socialAssistanceVisitRule', { reasons: [] });
    answered(h, 't-1', 'who lives with you?');
    reassessed(h, ['first-application'], []);
    review(h, 't-2', { outcome: 'refuse', reason: 'savings' });
    await expect(refused(h, 'SOC-2026-000023')).rejects.toThrow(DeterminismViolationError);
  });

  it('a v2 history of the answer (re-assessed only) replays on v2 and is not v3', async () => {
    const v2 = (version: 'v2' | 'v3') => {
      const h = toAssessment(version).activity('socialAssistanceVisitRule', { reasons: [] });
      answered(h, 't-1', 'who lives with you?');
      h.activity('setStage').activity('assessSocialAssistance', assessed);
      return review(h, 't-2', { outcome: 'refuse', reason: 'savings' });
    };
    await refused(v2('v2'), 'SOC-2026-000024');
    await expect(refused(v2('v3'), 'SOC-2026-000025')).rejects.toThrow(DeterminismViolationError);
  });
});
