import { DeterminismViolationError } from '@temporalio/workflow';
import type { WorkflowBundle } from '@temporalio/worker';
import { join } from 'node:path';
import { PROCESSES as processes } from '../../workflows';
import { TASK_DECISION_FROM_CASE_FILE } from '../../workflows/kit';
import { workflowTypes } from '../../workflows/temporal';
import { EVENT_SIGNAL } from '../../workflows/temporal-contract';
import { HistoryBuilder, type JsonHistory } from '../support/history-builder';
import { bundleForReplay, replayHistory } from '../support/temporal-replay';

const DAY = 86_400_000;
jest.setTimeout(30_000);
let bundle: WorkflowBundle;
let probeBundle: WorkflowBundle;

beforeAll(async () => {
  bundle = await bundleForReplay();
  probeBundle = await bundleForReplay(join(__dirname, '../support/temporal-probe-workflows.ts'));
}, 60_000);

const replay = (
  history: JsonHistory,
  workflowId = 'LV-0001',
  workflowBundle = bundle,
): Promise<void> => replayHistory(workflowBundle, history, workflowId);

const input = { municipalityId: '00000000-0000-4000-8000-00000000000a', subjectRef: 'p-1' };
const completedBy = (outcome: 'approve' | 'reject') => ({
  topic: 'task.completed:t-1',
  payload: {
    taskId: 't-1',
    decision: { outcome },
    completedBy: 'acc-1',
    completedAt: '2026-01-06T10:00:00.000Z',
  },
});

/** The reference run up to the review: registry check, stage, open task, then the reminder timer. */
function referenceToReview() {
  const h = new HistoryBuilder({ workflowType: 'reference@v1', input: [input] });
  h.started().workflowTask();
  h.activity('checkRegistry', { found: true, flags: ['debt'], clear: false });
  h.activity('setStage');
  const at = (days: number) => new Date(h.now.getTime() + days * DAY).toISOString();
  h.activity('openTask', { taskId: 't-1', dueAt: at(10), remindAt: at(8) });
  const reminder = h.startTimer(8 * DAY);
  return { h, reminder };
}

/** Decision recorded, notice delivered, case closed. */
function decisionToEnd(h: HistoryBuilder, result: unknown): JsonHistory {
  return h
    .activity('recordDecision')
    .activity('sendDelivery')
    .activity('closeCase')
    .completed(result)
    .build();
}

/** A completion as the task service now signals it: the task id only. */
const signalled = (taskId = 't-1') => ({ topic: `task.completed:${taskId}`, payload: { taskId } });
const stored = (outcome: 'approve' | 'reject') => ({
  decision: { outcome },
  completedBy: 'acc-1',
  completedAt: '2026-01-06T10:00:00.000Z',
});

/** The first completion taken live after issue 12 H4: the patch marker, then the read of the stored decision. */
function readsDecision(
  h: HistoryBuilder,
  result: ReturnType<typeof stored> | null,
  marker = true,
): HistoryBuilder {
  if (marker) h.patchMarker(TASK_DECISION_FROM_CASE_FILE);
  return h.activity('readTaskDecision', result);
}

describe('Temporal replay of completions that read the stored decision (issue 12 H4)', () => {
  it('replays a completion read from the case file', async () => {
    const { h, reminder } = referenceToReview();
    h.signal(EVENT_SIGNAL, signalled()).workflowTask();
    h.cancelTimer(reminder);
    readsDecision(h, stored('approve'));
    await replay(decisionToEnd(h, { outcome: 'approved', decidedBy: 'acc-1', escalated: false }));
  });

  it('replays a refused signal: the run waits again until the same deadline, then reads the real completion', async () => {
    const { h, reminder } = referenceToReview();
    h.advance(DAY).signal(EVENT_SIGNAL, {
      topic: 'task.completed:t-1',
      payload: { taskId: 't-other', decision: { outcome: 'approve' } },
    });
    h.workflowTask().cancelTimer(reminder);
    readsDecision(h, null);
    const rest = h.startTimer(7 * DAY);
    h.advance(DAY).signal(EVENT_SIGNAL, signalled()).workflowTask();
    h.cancelTimer(rest);
    readsDecision(h, stored('reject'), false);
    await replay(decisionToEnd(h, { outcome: 'rejected', decidedBy: 'acc-1', escalated: false }));
  });

  it('records the change with the workflow task that takes the completion, after the reminder', async () => {
    const { h, reminder } = referenceToReview();
    h.advance(8 * DAY)
      .fireTimer(reminder)
      .workflowTask();
    h.activity('remindTask');
    const due = h.startTimer(2 * DAY);
    h.signal(EVENT_SIGNAL, signalled()).workflowTask();
    h.cancelTimer(due);
    readsDecision(h, stored('approve'));
    await replay(decisionToEnd(h, { outcome: 'approved', decidedBy: 'acc-1', escalated: false }));
  });

  it('fails with a determinism violation when a completion taken after the change skips the read', async () => {
    const { h, reminder } = referenceToReview();
    h.signal(EVENT_SIGNAL, signalled()).workflowTask();
    h.cancelTimer(reminder);
    h.patchMarker(TASK_DECISION_FROM_CASE_FILE);
    await expect(
      replay(decisionToEnd(h, { outcome: 'approved', decidedBy: 'acc-1', escalated: false })),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});

describe('Temporal replay of the reference process', () => {
  it('replays the approve path', async () => {
    const { h, reminder } = referenceToReview();
    h.signal(EVENT_SIGNAL, completedBy('approve')).workflowTask();
    h.cancelTimer(reminder);
    await replay(decisionToEnd(h, { outcome: 'approved', decidedBy: 'acc-1', escalated: false }));
  });

  it('replays the reject path', async () => {
    const { h, reminder } = referenceToReview();
    h.signal(EVENT_SIGNAL, completedBy('reject')).workflowTask();
    h.cancelTimer(reminder);
    await replay(decisionToEnd(h, { outcome: 'rejected', decidedBy: 'acc-1', escalated: false }));
  });

  it('replays the reminder and escalation path when the review deadline passes', async () => {
    const { h, reminder } = referenceToReview();
    h.advance(8 * DAY)
      .fireTimer(reminder)
      .workflowTask();
    h.activity('remindTask');
    const due = h.startTimer(2 * DAY);
    h.advance(2 * DAY)
      .fireTimer(due)
      .workflowTask();
    h.activity('escalateTask');
    h.signal(EVENT_SIGNAL, completedBy('approve')).workflowTask();
    await replay(decisionToEnd(h, { outcome: 'approved', decidedBy: 'acc-1', escalated: true }));
  });

  it('replays the path where the registry does not know the subject', async () => {
    const h = new HistoryBuilder({ workflowType: 'reference@v1', input: [input] });
    h.started().workflowTask();
    h.activity('checkRegistry', { found: false, flags: [], clear: false });
    await replay(decisionToEnd(h, { outcome: 'not-found', decidedBy: 'system', escalated: false }));
  });

  it('starts no timer for a deadline already past: reminds and escalates at once', async () => {
    const h = new HistoryBuilder({ workflowType: 'reference@v1', input: [input] });
    h.started().workflowTask();
    h.activity('checkRegistry', { found: true, flags: ['debt'], clear: false });
    h.activity('setStage');
    const past = (days: number) => new Date(h.now.getTime() - days * DAY).toISOString();
    h.activity('openTask', { taskId: 't-1', dueAt: past(1), remindAt: past(3) });
    h.activity('remindTask').activity('escalateTask');
    h.signal(EVENT_SIGNAL, completedBy('reject')).workflowTask();
    await replay(decisionToEnd(h, { outcome: 'rejected', decidedBy: 'acc-1', escalated: true }));
  });

  it('replays a cancellation while the review waits: the timer is cancelled and the run ends cancelled', async () => {
    const { h, reminder } = referenceToReview();
    h.cancelRequested('withdrawn by the applicant').workflowTask();
    h.cancelTimer(reminder);
    await replay(h.canceled().build());
  });

  it('fails with a determinism violation when the history has another activity type', async () => {
    const { h, reminder } = referenceToReview();
    h.signal(EVENT_SIGNAL, completedBy('approve')).workflowTask();
    h.cancelTimer(reminder);
    h.activity('escalateTask').activity('sendDelivery').activity('closeCase').completed();
    await expect(replay(h.build())).rejects.toBeInstanceOf(DeterminismViolationError);
  });

  it('fails with a determinism violation when the history lacks the timer the process starts', async () => {
    const h = new HistoryBuilder({ workflowType: 'reference@v1', input: [input] });
    h.started().workflowTask();
    h.activity('checkRegistry', { found: true, flags: [], clear: true });
    h.activity('setStage');
    const at = (days: number) => new Date(h.now.getTime() + days * DAY).toISOString();
    h.activity('openTask', { taskId: 't-1', dueAt: at(10), remindAt: at(8) });
    await expect(replay(decisionToEnd(h, undefined))).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });
});

/** Replays a one-task history of `type`; resolves with the replay error message, or '' when none. */
async function replayFirstTask(type: string): Promise<string> {
  const h = new HistoryBuilder({ workflowType: type, input: [{}] });
  h.started().workflowTask().completed();
  return replay(h.build(), `bundle-${type}`).then(
    () => '',
    (e: Error) => e.message,
  );
}

describe('Temporal workflow bundle', () => {
  it('registers every process version under its id', () => {
    expect(processes.length).toBeGreaterThan(0);
    for (const def of processes) expect(workflowTypes.get(def.id)).toBe(def);
  });

  it('finds every registered process in the bundle', async () => {
    // The one-task history does not match the process's commands, so replay may report a
    // determinism violation; what must not happen is the bundle lacking the workflow type.
    for (const def of processes)
      expect(await replayFirstTask(def.id)).not.toContain('No process registered');
  });

  it('fails the workflow task of a type no process is registered under', async () => {
    expect(await replayFirstTask('no-such-process@v1')).toContain(
      "No process registered for workflow type 'no-such-process@v1'",
    );
  });
});

describe('Temporal process runtime', () => {
  const ping = (n: number, idempotencyKey?: string) => ({
    topic: 'probe.ping',
    payload: { n },
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });

  function twoSignals(first: object, second: object) {
    const h = new HistoryBuilder({ workflowType: 'probe-two-events@v1', input: [{}] });
    h.started().workflowTask();
    h.signal(EVENT_SIGNAL, first).signal(EVENT_SIGNAL, second).workflowTask();
    return h;
  }

  it('buffers events per topic and hands each to one wait', async () => {
    const h = twoSignals(ping(1), ping(2));
    await replay(h.activity('gotSecond').completed().build(), 'probe-1', probeBundle);
  });

  it('drops a redelivered event with the same idempotency key', async () => {
    const h = twoSignals(ping(1, 'k-1'), ping(1, 'k-1'));
    const deadline = h.startTimer(86_400_000);
    h.advance(86_400_000).fireTimer(deadline).workflowTask();
    await replay(h.activity('gotNone').completed().build(), 'probe-2', probeBundle);
  });

  it('fails the run, not the workflow task, when process code throws', async () => {
    const h = new HistoryBuilder({ workflowType: 'probe-throws@v1', input: [{}] });
    h.started().workflowTask().failed('benefit amount out of range', 'RangeError');
    await replay(h.build(), 'probe-3', probeBundle);
  });
});
