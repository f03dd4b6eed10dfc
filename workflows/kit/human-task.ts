import { taskCompleted, type TaskCompleted } from './events';
import type { ProcessContext } from './types';

/** When the task is due: an absolute time, a duration, or working days (computed by the activity). */
export type TaskDue = { at: string } | { inMs: number } | { workingDays: number };

export interface OpenTaskRequest {
  caseId: string;
  municipalityId: string;
  /** Stable name of this step in the process; (caseId, step) makes openTask idempotent. */
  step: string;
  processKey: string;
  role: string;
  formKey: string;
  title: string;
  due: TaskDue;
  /** How long before the due date to remind the assignee (or the role); none when omitted. */
  remindBeforeMs?: number;
}

export interface OpenedTask {
  taskId: string;
  /** ISO timestamps: the run receives times, it never computes calendars. */
  dueAt: string;
  remindAt: string | null;
}

export interface TaskRef {
  caseId: string;
  municipalityId: string;
  taskId: string;
}

/** The activities humanTask needs; activities/case provides them. */
export type HumanTaskActivities = {
  openTask(req: OpenTaskRequest): Promise<OpenedTask>;
  remindTask(ref: TaskRef): Promise<void>;
  escalateTask(ref: TaskRef): Promise<void>;
};

export interface HumanTaskSpec extends Omit<OpenTaskRequest, 'caseId' | 'processKey'> {
  /**
   * What happens after escalation. 'wait' (default): the task stays open (now flagged for the
   * manager) and the run keeps waiting for the decision. 'return': the run gets an
   * `escalated` outcome and decides itself (e.g. a deemed decision).
   */
  afterEscalation?: 'wait' | 'return';
}

export type HumanTaskResult<D> =
  | {
      outcome: 'completed';
      taskId: string;
      decision: D;
      completedBy: string;
      completedAt: string;
      escalated: boolean;
    }
  | { outcome: 'escalated'; taskId: string };

/**
 * One unit of human work: opens a task row (role, form, due date), then waits for
 * `task.completed:<taskId>`; reminds before the due date, escalates when it passes.
 * Timers are absolute times taken from the task row, so a restart never moves a deadline.
 */
export async function humanTask<D, A extends HumanTaskActivities>(
  ctx: ProcessContext<A>,
  spec: HumanTaskSpec,
): Promise<HumanTaskResult<D>> {
  const { afterEscalation = 'wait', ...req } = spec;
  const ref = { caseId: ctx.caseId, municipalityId: spec.municipalityId };
  const task = await ctx.act.openTask({ ...req, caseId: ctx.caseId, processKey: ctx.processKey });
  const topic = taskCompleted.for(task.taskId);
  const done = (c: TaskCompleted, escalated: boolean): HumanTaskResult<D> => ({
    outcome: 'completed',
    taskId: task.taskId,
    decision: c.decision as D,
    completedBy: c.completedBy,
    completedAt: c.completedAt,
    escalated,
  });

  if (task.remindAt && task.remindAt < task.dueAt) {
    const early = await ctx.waitFor(topic, { until: new Date(task.remindAt) });
    if (early) return done(early, false);
    await ctx.act.remindTask({ ...ref, taskId: task.taskId });
  }
  const onTime = await ctx.waitFor(topic, { until: new Date(task.dueAt) });
  if (onTime) return done(onTime, false);
  await ctx.act.escalateTask({ ...ref, taskId: task.taskId });
  if (afterEscalation === 'return') return { outcome: 'escalated', taskId: task.taskId };
  const late = await ctx.waitFor(topic);
  if (!late) throw new Error(`engine returned no event for an unbounded wait on ${topic.topic}`);
  return done(late, true);
}
