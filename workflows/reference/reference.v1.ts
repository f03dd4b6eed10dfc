/**
 * TEMPORARY reference process (temporal branch) until the engine branch's lands: two parallel
 * registry checks, one human review with a deadline, escalation when it passes, then a decision.
 */
import type { EventTopic, ProcessDefinition } from '../kit/types';

export interface ReferenceInput {
  applicantId: string;
}
export interface ReviewDecision {
  outcome: 'approve' | 'reject';
  note?: string;
}
export type ReferenceActivities = {
  checkPerson(caseId: string, applicantId: string): Promise<{ found: boolean }>;
  checkAddress(caseId: string, applicantId: string): Promise<{ declared: boolean }>;
  openTask(caseId: string, role: string): Promise<{ taskId: string; dueAt: string }>;
  escalateTask(caseId: string, taskId: string): Promise<void>;
  recordDecision(caseId: string, outcome: string): Promise<void>;
};

export const taskCompleted = (taskId: string): EventTopic<ReviewDecision> => ({ topic: `task.completed:${taskId}` });

export const referenceV1: ProcessDefinition<ReferenceInput, { outcome: string }, ReferenceActivities> = {
  key: 'reference',
  version: 1,
  id: 'reference@v1',
  activities: { checkPerson: { retry: { maxAttempts: 3 }, timeoutMs: 30_000 } },
  async run(ctx, input) {
    await Promise.all([ctx.act.checkPerson(ctx.caseId, input.applicantId), ctx.act.checkAddress(ctx.caseId, input.applicantId)]);
    const task = await ctx.act.openTask(ctx.caseId, 'caseworker');
    let decision = await ctx.waitFor(taskCompleted(task.taskId), { until: new Date(task.dueAt) });
    if (!decision) {
      await ctx.act.escalateTask(ctx.caseId, task.taskId);
      decision = await ctx.waitFor(taskCompleted(task.taskId));
    }
    const outcome = decision?.outcome ?? 'reject';
    await ctx.act.recordDecision(ctx.caseId, outcome);
    return { outcome };
  },
};
