import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { join } from 'node:path';
import { processes } from '../../workflows';
import { workflowTypes } from '../../workflows/temporal';
import { EVENT_SIGNAL } from '../../workflows/temporal-contract';
import { HistoryBuilder, type JsonHistory } from '../support/history-builder';

const DAY = 86_400_000;
jest.setTimeout(30_000);
let bundle: WorkflowBundle;

const quiet = new DefaultLogger('ERROR');

beforeAll(async () => {
  Runtime.install({ logger: quiet });
  bundle = await bundleWorkflowCode({ workflowsPath: join(__dirname, '../../workflows/temporal.ts'), logger: quiet });
}, 60_000);

/** A malformed history can make replay hang: every replay races a deadline. */
async function replay(history: JsonHistory, workflowId = 'LV-0001'): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('replay timed out')), 10_000);
  });
  try {
    await Promise.race([Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function referenceStart() {
  const h = new HistoryBuilder({ workflowType: 'reference@v1', input: [{ applicantId: 'p-1' }] });
  h.started().workflowTask();
  const person = h.scheduleActivity('checkPerson');
  const address = h.scheduleActivity('checkAddress');
  h.completeActivity(person, { found: true }).completeActivity(address, { declared: true }).workflowTask();
  const due = new Date(h.now.getTime() + 10 * DAY).toISOString();
  h.activity('openTask', { taskId: 't-1', dueAt: due });
  const reviewTimer = h.startTimer(10 * DAY);
  return { h, reviewTimer };
}

describe('Temporal replay of the reference process', () => {
  it('replays the approve path', async () => {
    const { h, reviewTimer } = referenceStart();
    h.signal(EVENT_SIGNAL, { topic: 'task.completed:t-1', payload: { outcome: 'approve' } }).workflowTask();
    h.cancelTimer(reviewTimer);
    h.activity('recordDecision').completed({ outcome: 'approve' });
    await replay(h.build());
  });

  it('replays the reject path', async () => {
    const { h, reviewTimer } = referenceStart();
    h.signal(EVENT_SIGNAL, { topic: 'task.completed:t-1', payload: { outcome: 'reject' } }).workflowTask();
    h.cancelTimer(reviewTimer);
    h.activity('recordDecision').completed({ outcome: 'reject' });
    await replay(h.build());
  });

  it('replays the escalation path when the review deadline passes', async () => {
    const { h, reviewTimer } = referenceStart();
    h.advance(10 * DAY).fireTimer(reviewTimer).workflowTask();
    h.activity('escalateTask');
    h.signal(EVENT_SIGNAL, { topic: 'task.completed:t-1', payload: { outcome: 'approve' } }).workflowTask();
    h.activity('recordDecision').completed({ outcome: 'approve' });
    await replay(h.build());
  });

  it('fails with a determinism violation when the history has another activity type', async () => {
    const { h, reviewTimer } = referenceStart();
    h.signal(EVENT_SIGNAL, { topic: 'task.completed:t-1', payload: { outcome: 'approve' } }).workflowTask();
    h.cancelTimer(reviewTimer);
    h.activity('escalateTask').completed({ outcome: 'approve' });
    await expect(replay(h.build())).rejects.toBeInstanceOf(DeterminismViolationError);
  });

  it('fails with a determinism violation when the history lacks the timer the process starts', async () => {
    const h = new HistoryBuilder({ workflowType: 'reference@v1', input: [{ applicantId: 'p-1' }] });
    h.started().workflowTask();
    const person = h.scheduleActivity('checkPerson');
    const address = h.scheduleActivity('checkAddress');
    h.completeActivity(person, { found: true }).completeActivity(address, { declared: true }).workflowTask();
    h.activity('openTask', { taskId: 't-1', dueAt: new Date(h.now.getTime() + DAY).toISOString() });
    h.activity('recordDecision').completed({ outcome: 'approve' });
    await expect(replay(h.build())).rejects.toBeInstanceOf(DeterminismViolationError);
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
    for (const def of processes) expect(await replayFirstTask(def.id)).not.toContain('No process registered');
  });

  it('fails the workflow task of a type no process is registered under', async () => {
    expect(await replayFirstTask('no-such-process@v1')).toContain("No process registered for workflow type 'no-such-process@v1'");
  });
});
