import { randomUUID } from 'node:crypto';
import type { AnyProcess } from '../../workflows';
import { createGroupActivities } from '../../activities/case/group.activities';
import { settledOutcome, tallyOutcome, type Tally, type TallyRule } from '../../workflows/kit';
import type { ActingUser } from '../../src/cases/acting-user';
import { Case } from '../../src/cases/case.entity';
import { Task } from '../../src/cases/task.entity';
import { TimelineEvent } from '../../src/cases/timeline-event.entity';
import { ErrorCode } from '../../src/platform/errors/domain-error';
import {
  caseRow,
  createMunicipality,
  eventually,
  domainRejection,
  runFinished,
  startHarness,
  type Harness,
} from '../support/engine-harness';
import { councilVote } from '../support/kit-probes';

jest.setTimeout(30_000);

let h: Harness;
let mun: string;
beforeAll(async () => {
  h = await startHarness({ extraProcesses: [councilVote as unknown as AnyProcess] });
  mun = await createMunicipality(h.ds);
});
afterAll(() => h.close());

const HOUR = 3_600_000;
const member = (accountId: string): ActingUser => ({
  accountId,
  municipalityId: mun,
  roles: ['caseworker'],
  grants: [{ role: 'caseworker', processKey: 'kit-council-vote' }],
});

async function vote(
  participants: string[],
  rule: TallyRule,
  closesAt = new Date(Date.now() + HOUR),
): Promise<Case> {
  const c = await caseRow(h, mun, 'kit-council-vote');
  await h.engine.start('kit-council-vote', c.id, {
    municipalityId: mun,
    participants,
    closesAt: closesAt.toISOString(),
    rule,
  });
  return c;
}

/** Each participant's task, once the run has opened them all. */
const tasksOf = (caseId: string, n: number) =>
  eventually(async () => {
    const tasks = await h.tenantDb.run(mun, (em) => em.find(Task, { where: { caseId } }));
    return tasks.length === n ? new Map(tasks.map((t) => [t.assigneeId!, t])) : null;
  });

const finished = (id: string) => runFinished(h.engine, id);

/** Answers and waits until the run has taken the answer (its timeline says so). */
async function answer(caseId: string, who: string, task: Task, v: string): Promise<void> {
  await h.tasks.complete(member(who), task.id, { vote: v });
  await eventually(() =>
    h.tenantDb.run(mun, (em) =>
      em.findOne(TimelineEvent, { where: { caseId, key: `group.answered:${task.id}` } }),
    ),
  );
}

const refusal = domainRejection;

describe('collect: a group decision on DBOS', () => {
  it('gives each participant a task in their inbox, validates answers by the form, takes each once, and closes when the majority is reached', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const run = await vote([a, b, c], { kind: 'majority', quorum: 2 });
    const tasks = await tasksOf(run.id, 3);
    for (const p of [a, b, c])
      expect((await h.tasks.list(member(p), 'mine')).map((t) => t.id)).toEqual([tasks.get(p)!.id]);
    // Nobody answers for another: the task cannot be released or handed on either.
    expect((await refusal(h.tasks.release(member(a), tasks.get(a)!.id))).code).toBe(
      ErrorCode.Conflict,
    );
    const manager: ActingUser = {
      accountId: randomUUID(),
      municipalityId: mun,
      roles: ['manager'],
    };
    expect((await refusal(h.tasks.reassign(manager, tasks.get(a)!.id, b))).code).toBe(
      ErrorCode.Conflict,
    );
    expect(
      (await refusal(h.tasks.complete(member(b), tasks.get(a)!.id, { vote: 'for' }))).code,
    ).toBe(ErrorCode.Forbidden);
    const bad = await refusal(h.tasks.complete(member(a), tasks.get(a)!.id, { vote: 'maybe' }));
    expect(bad.fields).toEqual([{ field: 'decision.vote', message: 'cases:errors.vote' }]);
    await answer(run.id, a, tasks.get(a)!, 'for');
    expect(
      (await refusal(h.tasks.complete(member(a), tasks.get(a)!.id, { vote: 'against' }))).code,
    ).toBe(ErrorCode.AlreadyDone);
    expect((await h.engine.describe(run.id))?.status).toBe('running');
    await h.tasks.complete(member(b), tasks.get(b)!.id, { vote: 'for' });
    const done = await finished(run.id);
    const tally = done.result as Tally;
    expect(tally).toMatchObject({
      outcome: 'adopted',
      for: 2,
      against: 0,
      abstain: 0,
      participants: 3,
      closedBy: 'decided',
    });
    expect(tally.answers.map((x) => [x.participant, x.answer])).toEqual([
      [a, 'for'],
      [b, 'for'],
    ]);
    // The third member's task is withdrawn: too late to answer.
    const third = await h.tenantDb.run(mun, (em) =>
      em.findOneByOrFail(Task, { id: tasks.get(c)!.id }),
    );
    expect(third.status).toBe('cancelled');
    expect((await refusal(h.tasks.complete(member(c), third.id, { vote: 'against' }))).code).toBe(
      ErrorCode.Conflict,
    );
    const closed = await h.tenantDb.run(mun, (em) =>
      em.findOneByOrFail(TimelineEvent, { caseId: run.id, kind: 'group.closed' }),
    );
    expect(closed.data).toMatchObject({ group: 'vote', outcome: 'adopted', for: 2 });
  });

  it('closes at the closing time with the answers given (none here: no quorum) and withdraws the open tasks', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    // (Answers taken before a closing time are replayed deterministically in kit-temporal-replay.test.ts.)
    const run = await vote([a, b, c], { kind: 'majority', quorum: 2 }, new Date(Date.now() + 300));
    const tally = (await finished(run.id)).result as Tally;
    expect(tally).toEqual({
      outcome: 'no-quorum',
      for: 0,
      against: 0,
      abstain: 0,
      participants: 3,
      closedBy: 'closing-time',
      answers: [],
    });
    const tasks = await h.tenantDb.run(mun, (em) => em.find(Task, { where: { caseId: run.id } }));
    expect(tasks.map((t) => t.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('closes as soon as a unanimous decision is lost', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const run = await vote([a, b], { kind: 'unanimous' });
    const tasks = await tasksOf(run.id, 2);
    await h.tasks.complete(member(b), tasks.get(b)!.id, { vote: 'abstain' });
    expect((await finished(run.id)).result).toMatchObject({
      outcome: 'rejected',
      abstain: 1,
      closedBy: 'decided',
    });
  });
});

describe('the answers a group decision takes', () => {
  const acts = () => createGroupActivities({ tenantDb: h.tenantDb });
  /** A group's tasks with answers stored as the task service stores them, `at` the completion time. */
  async function answered(closesAt: Date, at: Date, completedBy?: string) {
    const c = await caseRow(h, mun, 'kit-council-vote');
    const p = randomUUID();
    const group = { caseId: c.id, municipalityId: mun, step: 'vote' };
    const [t] = await acts().openGroupTasks({
      ...group,
      processKey: 'kit-council-vote',
      role: 'caseworker',
      formKey: 'kit.vote',
      title: 'Vote',
      participants: [p],
      closesAt: closesAt.toISOString(),
    });
    await h.tenantDb.run(mun, (em) =>
      em.update(
        Task,
        { id: t.taskId },
        {
          status: 'completed',
          decision: { vote: 'for' },
          completedBy: completedBy ?? p,
          completedAt: at,
        },
      ),
    );
    return acts().readGroupAnswer({ ...group, taskId: t.taskId });
  }

  it('takes an answer stored by its participant before the closing time', async () => {
    const closes = new Date('2026-03-01T12:00:00Z');
    expect(await answered(closes, new Date('2026-03-01T11:59:59Z'))).toMatchObject({
      answer: 'for',
      at: '2026-03-01T11:59:59.000Z',
    });
  });

  it('refuses an answer stored after the closing time, or by anyone but the participant', async () => {
    const closes = new Date('2026-03-01T12:00:00Z');
    expect(await answered(closes, new Date('2026-03-01T12:00:01Z'))).toBeNull();
    expect(await answered(closes, new Date('2026-03-01T11:00:00Z'), randomUUID())).toBeNull();
  });
});

describe('tally rules', () => {
  const majority: TallyRule = { kind: 'majority', quorum: 4 };
  it('counts a majority of those present, abstentions included, only with a quorum', () => {
    expect(tallyOutcome(majority, 3, 5, 7)).toBe('adopted');
    expect(tallyOutcome(majority, 2, 4, 7)).toBe('rejected');
    expect(tallyOutcome(majority, 3, 3, 7)).toBe('no-quorum');
  });

  it('settles only when no remaining answer can change the outcome', () => {
    expect(settledOutcome(majority, 3, 3, 7)).toBeNull();
    expect(settledOutcome(majority, 4, 4, 7)).toBe('adopted');
    expect(settledOutcome(majority, 1, 4, 7)).toBeNull();
    expect(settledOutcome(majority, 0, 4, 7)).toBe('rejected');
    expect(settledOutcome(majority, 0, 7, 7)).toBe('rejected');
    expect(settledOutcome({ kind: 'at-least', k: 3 }, 1, 5, 6)).toBe('rejected');
    expect(settledOutcome({ kind: 'unanimous' }, 2, 2, 3)).toBeNull();
  });
});
