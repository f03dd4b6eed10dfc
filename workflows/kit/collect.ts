import { defineEvent } from './events';
import type { ProcessContext } from './types';

/**
 * Group decisions: N people decide the same question (council votes, commission members).
 * `collect` opens one task per participant (assigned to them, in their inbox, answered through
 * the task's form like any task, once), takes each answer as it comes (who, what, when: stored on
 * the task row and the timeline), and closes when the outcome can no longer change, when all have
 * answered, or at the closing time, whichever is first. The rest of the tasks are then withdrawn.
 */

export type Vote = 'for' | 'against' | 'abstain';
export const VOTES: readonly Vote[] = ['for', 'against', 'abstain'];

/**
 * How answers decide. Against and abstain count alike: only `for` adopts.
 * - `majority`: adopted when at least `quorum` answered and more than half of those who answered
 *   (present, abstentions included) voted for;
 * - `unanimous`: adopted when every participant voted for;
 * - `at-least`: adopted when at least `k` voted for.
 */
export type TallyRule =
  { kind: 'majority'; quorum: number } | { kind: 'unanimous' } | { kind: 'at-least'; k: number };

export type TallyOutcome = 'adopted' | 'rejected' | 'no-quorum';

export interface GroupAnswer {
  participant: string;
  taskId: string;
  answer: Vote;
  /** ISO time the answer was stored. */
  at: string;
}

export interface Tally {
  outcome: TallyOutcome;
  for: number;
  against: number;
  abstain: number;
  participants: number;
  /** Why it closed: the outcome could no longer change, all answered, or the closing time passed. */
  closedBy: 'decided' | 'all-answered' | 'closing-time';
  answers: GroupAnswer[];
}

/** Payload of `group.answered:<step>`, sent by the task service when a participant's task is completed. */
export interface GroupAnswered {
  taskId: string;
}
export const groupAnswered = defineEvent<GroupAnswered>('group.answered');

export interface OpenGroupTasksRequest {
  caseId: string;
  municipalityId: string;
  processKey: string;
  /** The group's step; each participant's task is `<step>/<participant>`. */
  step: string;
  role: string;
  formKey: string;
  title: string;
  /** Account ids, one task each. */
  participants: string[];
  /** The closing time (ISO): every task's due date. */
  closesAt: string;
}

export type CollectActivities = {
  openGroupTasks(req: OpenGroupTasksRequest): Promise<{ taskId: string; participant: string }[]>;
  /**
   * The stored answer of a task of this group and case, or null (refused: another task, not
   * completed by its participant, not a vote, or stored after the closing time).
   */
  readGroupAnswer(req: {
    caseId: string;
    municipalityId: string;
    step: string;
    taskId: string;
  }): Promise<GroupAnswer | null>;
  /** Withdraws the tasks not answered and records the tally on the timeline. */
  closeGroup(req: {
    caseId: string;
    municipalityId: string;
    step: string;
    tally: Omit<Tally, 'answers'>;
  }): Promise<void>;
};

export interface CollectSpec extends Omit<
  OpenGroupTasksRequest,
  'caseId' | 'processKey' | 'closesAt'
> {
  closesAt: Date | string;
  rule: TallyRule;
}

/** The outcome once nobody else answers: `yes` answers for, of `answered`, among `n` participants. */
export function tallyOutcome(
  rule: TallyRule,
  yes: number,
  answered: number,
  n: number,
): TallyOutcome {
  switch (rule.kind) {
    case 'majority':
      if (answered < rule.quorum) return 'no-quorum';
      return yes * 2 > answered ? 'adopted' : 'rejected';
    case 'unanimous':
      return yes === n ? 'adopted' : 'rejected';
    case 'at-least':
      return yes >= rule.k ? 'adopted' : 'rejected';
  }
}

/** The outcome when no way the others may still answer (or not) can change it; null while it can. */
export function settledOutcome(
  rule: TallyRule,
  yes: number,
  answered: number,
  n: number,
): TallyOutcome | null {
  const first = tallyOutcome(rule, yes, answered, n);
  const rest = n - answered;
  for (let more = 0; more <= rest; more++)
    for (let moreYes = 0; moreYes <= more; moreYes++)
      if (tallyOutcome(rule, yes + moreYes, answered + more, n) !== first) return null;
  return first;
}

export async function collect<A extends CollectActivities>(
  ctx: ProcessContext<A>,
  spec: CollectSpec,
): Promise<Tally> {
  const { rule, closesAt, ...req } = spec;
  const until = new Date(closesAt);
  const participants = [...new Set(req.participants)];
  const tasks = await ctx.act.openGroupTasks({
    ...req,
    participants,
    caseId: ctx.caseId,
    processKey: ctx.processKey,
    closesAt: until.toISOString(),
  });
  const n = tasks.length;
  const answers = new Map<string, GroupAnswer>();
  const count = () => {
    const list = [...answers.values()];
    const of = (v: Vote) => list.filter((a) => a.answer === v).length;
    return {
      for: of('for'),
      against: of('against'),
      abstain: of('abstain'),
      answered: list.length,
    };
  };
  let closedBy: Tally['closedBy'] = 'closing-time';
  for (;;) {
    const c = count();
    if (c.answered === n) {
      closedBy = 'all-answered';
      break;
    }
    if (settledOutcome(rule, c.for, c.answered, n) !== null) {
      closedBy = 'decided';
      break;
    }
    const signal = await ctx.waitFor(groupAnswered.for(req.step), { until });
    if (!signal) break;
    const answer = await ctx.act.readGroupAnswer({
      caseId: ctx.caseId,
      municipalityId: req.municipalityId,
      step: req.step,
      taskId: typeof signal.taskId === 'string' ? signal.taskId : '',
    });
    if (answer && !answers.has(answer.participant)) answers.set(answer.participant, answer);
  }
  const c = count();
  const tally = {
    outcome: tallyOutcome(rule, c.for, c.answered, n),
    for: c.for,
    against: c.against,
    abstain: c.abstain,
    participants: n,
    closedBy,
  };
  await ctx.act.closeGroup({
    caseId: ctx.caseId,
    municipalityId: req.municipalityId,
    step: req.step,
    tally,
  });
  return { ...tally, answers: [...answers.values()] };
}
