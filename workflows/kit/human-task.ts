import { taskCompleted, type LegacyTaskCompleted, type TaskCompleted } from './events';
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

/** Which stored decision the run asks for after a completion signal. */
export interface ReadTaskDecisionRequest extends TaskRef {
  /** The task id the signal named; anything but `taskId` is refused. */
  signalledTaskId: string;
}

/** A decision as the task service stored it on the task row. */
export interface StoredTaskDecision {
  decision: unknown;
  completedBy: string;
  completedAt: string;
}

/** The activities humanTask needs; activities/case provides them. */
export type HumanTaskActivities = {
  openTask(req: OpenTaskRequest): Promise<OpenedTask>;
  remindTask(ref: TaskRef): Promise<void>;
  escalateTask(ref: TaskRef): Promise<void>;
  /**
   * The stored decision of this case's task, or null (refused and audited) when the signal named
   * another task, or the task is unknown, of another case or not completed.
   */
  readTaskDecision(req: ReadTaskDecisionRequest): Promise<StoredTaskDecision | null>;
};

/**
 * The kit change of issue 12 H4: the run reads the decision from the case file instead of taking
 * it from the signal. Released versions recorded completions without it; see `patched`.
 */
export const TASK_DECISION_FROM_CASE_FILE = 'task-decision-from-case-file';

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
 *
 * The signal only says "look": the decision is what the task service stored on the task row,
 * read by an activity that checks the task is this case's and completed. A signal it refuses
 * leaves the run waiting, with the same deadline.
 */
export async function humanTask<D, A extends HumanTaskActivities>(
  ctx: ProcessContext<A>,
  spec: HumanTaskSpec,
): Promise<HumanTaskResult<D>> {
  const { afterEscalation = 'wait', ...req } = spec;
  const ref = { caseId: ctx.caseId, municipalityId: spec.municipalityId };
  const task = await ctx.act.openTask({ ...req, caseId: ctx.caseId, processKey: ctx.processKey });
  const topic = taskCompleted.for(task.taskId);
  const done = (c: StoredTaskDecision, escalated: boolean): HumanTaskResult<D> => ({
    outcome: 'completed',
    taskId: task.taskId,
    decision: c.decision as D,
    completedBy: c.completedBy,
    completedAt: c.completedAt,
    escalated,
  });
  const receive = async (until?: Date): Promise<StoredTaskDecision | null> => {
    for (;;) {
      const signal: TaskCompleted | null = await ctx.waitFor(topic, until ? { until } : undefined);
      if (!signal) return null;
      // A completion recorded before the change re-executes as it ran: from the signal.
      if (!(await ctx.patched(TASK_DECISION_FROM_CASE_FILE))) return signal as LegacyTaskCompleted;
      const stored = await ctx.act.readTaskDecision({
        ...ref,
        taskId: task.taskId,
        signalledTaskId: typeof signal.taskId === 'string' ? signal.taskId : '',
      });
      if (stored) return stored;
    }
  };

  if (task.remindAt && task.remindAt < task.dueAt) {
    const early = await receive(new Date(task.remindAt));
    if (early) return done(early, false);
    await ctx.act.remindTask({ ...ref, taskId: task.taskId });
  }
  const onTime = await receive(new Date(task.dueAt));
  if (onTime) return done(onTime, false);
  await ctx.act.escalateTask({ ...ref, taskId: task.taskId });
  if (afterEscalation === 'return') return { outcome: 'escalated', taskId: task.taskId };
  const late = await receive();
  if (!late) throw new Error(`engine returned no event for an unbounded wait on ${topic.topic}`);
  return done(late, true);
}
