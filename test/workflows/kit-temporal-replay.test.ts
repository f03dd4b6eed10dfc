import { DeterminismViolationError } from '@temporalio/workflow';
import type { WorkflowBundle } from '@temporalio/worker';
import { join } from 'node:path';
import { EVENT_SIGNAL } from '../../workflows/temporal-contract';
import { HistoryBuilder } from '../support/history-builder';
import { bundleForReplay, replayHistory } from '../support/temporal-replay';

jest.setTimeout(60_000);
let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleForReplay(join(__dirname, '../support/temporal-kit-probes.ts'));
}, 60_000);

const MUN = '00000000-0000-4000-8000-00000000000a';
const HOUR = 3_600_000;

describe('Temporal replay of the kit: signalCase between linked cases', () => {
  const sender = () => {
    const h = new HistoryBuilder({
      workflowType: 'kit-link-sender@v1',
      input: [{ municipalityId: MUN, target: 'case-2' }],
    });
    return h.started().workflowTask().activity('linkCase', true);
  };

  it('replays a run that links its case and signals the linked case through the activity', async () => {
    const h = sender()
      .activity('signalCase', { delivered: true })
      .activity('signalCase', { delivered: true });
    await replayHistory(
      bundle,
      h.completed([{ delivered: true }, { delivered: true }]).build(),
      'case-1',
    );
  });

  it('fails with a determinism violation when the history skips the link', async () => {
    const h = new HistoryBuilder({
      workflowType: 'kit-link-sender@v1',
      input: [{ municipalityId: MUN, target: 'case-2' }],
    });
    h.started()
      .workflowTask()
      .activity('signalCase', { delivered: true })
      .activity('signalCase', { delivered: true })
      .completed();
    await expect(replayHistory(bundle, h.build(), 'case-1')).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });

  it('replays the signalled run taking the event once, a redelivery under the same key dropped', async () => {
    const h = new HistoryBuilder({ workflowType: 'kit-link-waiter@v1', input: [{}] });
    h.started().workflowTask();
    const decided = (outcome: string) => ({
      topic: 'probe.decided',
      payload: { outcome },
      idempotencyKey: 'case-signal:case-1:decision',
    });
    h.signal(EVENT_SIGNAL, decided('adopted'))
      .signal(EVENT_SIGNAL, decided('twice'))
      .workflowTask();
    h.signal(EVENT_SIGNAL, { topic: 'probe.finish', payload: {} }).workflowTask();
    const wait = h.startTimer(200);
    h.advance(200).fireTimer(wait).workflowTask();
    await replayHistory(
      bundle,
      h.completed({ first: 'adopted', duplicate: null }).build(),
      'case-2',
    );
  });
});

describe('Temporal replay of the kit: waitForEvent with a deadline', () => {
  const waiting = () => {
    const start = new Date('2026-01-05T08:00:00.000Z');
    const deadline = new Date(start.getTime() + 24 * HOUR).toISOString();
    const h = new HistoryBuilder({
      workflowType: 'kit-payment-waiter@v1',
      input: [{ municipalityId: MUN, deadline }],
      startTime: start,
    });
    h.started().workflowTask();
    // The deadline timer runs from the workflow task's time (the builder's clock after started/task).
    const timer = h.startTimer(24 * HOUR);
    return { h, timer, deadline };
  };

  it('replays the event arriving before the deadline: the timer is cancelled, the payload returned', async () => {
    const { h, timer } = waiting();
    const envelope = {
      eventId: 'tx-1',
      payload: { amountCents: 1500 },
      receivedAt: '2026-01-05T09:00:00.000Z',
    };
    h.advance(HOUR).signal(EVENT_SIGNAL, {
      topic: 'payment.confirmed',
      payload: envelope,
      idempotencyKey: 'event:payment.confirmed:tx-1',
    });
    h.workflowTask().cancelTimer(timer);
    await replayHistory(
      bundle,
      h.completed({ outcome: 'received', ...envelope }).build(),
      'case-3',
    );
  });

  it('replays the deadline passing: the timeout is recorded by an activity and returned', async () => {
    const { h, timer, deadline } = waiting();
    h.advance(24 * HOUR)
      .fireTimer(timer)
      .workflowTask();
    h.activity('recordTimeline');
    await replayHistory(bundle, h.completed({ outcome: 'timeout', deadline }).build(), 'case-4');
  });

  it('fails with a determinism violation when a timed-out history lacks the timeline record', async () => {
    const { h, timer, deadline } = waiting();
    h.advance(24 * HOUR)
      .fireTimer(timer)
      .workflowTask();
    await expect(
      replayHistory(bundle, h.completed({ outcome: 'timeout', deadline }).build(), 'case-5'),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});

describe('Temporal replay of the kit: collect (group decision)', () => {
  const DAY = 24 * HOUR;
  const start = new Date('2026-01-05T08:00:00.000Z');
  const closesAt = new Date(start.getTime() + 2 * DAY).toISOString();
  const members = [
    { taskId: 't-a', participant: 'a' },
    { taskId: 't-b', participant: 'b' },
    { taskId: 't-c', participant: 'c' },
  ];
  const answered = (taskId: string) => ({
    topic: 'group.answered:vote',
    payload: { taskId },
    idempotencyKey: `group.answered:vote@${taskId}`,
  });
  const answer = (participant: string, v: string) => ({
    participant,
    taskId: `t-${participant}`,
    answer: v,
    at: '2026-01-05T10:00:00.000Z',
  });

  const opened = (rule: object) => {
    const h = new HistoryBuilder({
      workflowType: 'kit-council-vote@v1',
      input: [{ municipalityId: MUN, participants: ['a', 'b', 'c'], closesAt, rule }],
      startTime: start,
    });
    h.started().workflowTask().activity('openGroupTasks', members);
    return { h, closing: h.startTimer(2 * DAY) };
  };

  it('replays answers taken until the majority is reached: the rest are withdrawn', async () => {
    const { h, closing } = opened({ kind: 'majority', quorum: 2 });
    h.advance(HOUR).signal(EVENT_SIGNAL, answered('t-a')).workflowTask().cancelTimer(closing);
    h.activity('readGroupAnswer', answer('a', 'for'));
    const rest = h.startTimer(DAY);
    h.advance(HOUR).signal(EVENT_SIGNAL, answered('t-b')).workflowTask().cancelTimer(rest);
    h.activity('readGroupAnswer', answer('b', 'for')).activity('closeGroup');
    const tally = {
      outcome: 'adopted',
      for: 2,
      against: 0,
      abstain: 0,
      participants: 3,
      closedBy: 'decided',
      answers: [answer('a', 'for'), answer('b', 'for')],
    };
    await replayHistory(bundle, h.completed(tally).build(), 'case-6');
  });

  it('replays a refused answer signal (the run waits on) and the closing time with the answers given', async () => {
    const { h, closing } = opened({ kind: 'at-least', k: 2 });
    h.advance(HOUR).signal(EVENT_SIGNAL, answered('t-forged')).workflowTask().cancelTimer(closing);
    h.activity('readGroupAnswer', null);
    const rest = h.startTimer(DAY);
    h.advance(HOUR).signal(EVENT_SIGNAL, answered('t-c')).workflowTask().cancelTimer(rest);
    h.activity('readGroupAnswer', answer('c', 'for'));
    const last = h.startTimer(DAY);
    h.advance(2 * DAY)
      .fireTimer(last)
      .workflowTask()
      .activity('closeGroup');
    const tally = {
      outcome: 'rejected',
      for: 1,
      against: 0,
      abstain: 0,
      participants: 3,
      closedBy: 'closing-time',
      answers: [answer('c', 'for')],
    };
    await replayHistory(bundle, h.completed(tally).build(), 'case-7');
  });

  it('fails with a determinism violation when the run would close early but the history waits on', async () => {
    const { h, closing } = opened({ kind: 'unanimous' });
    h.advance(HOUR).signal(EVENT_SIGNAL, answered('t-a')).workflowTask().cancelTimer(closing);
    h.activity('readGroupAnswer', answer('a', 'against'));
    h.startTimer(DAY);
    await expect(replayHistory(bundle, h.build(), 'case-8')).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });
});
