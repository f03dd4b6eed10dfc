import { Logger } from '@nestjs/common';
import { In } from 'typeorm';
import {
  VOTES,
  type CollectActivities,
  type GroupAnswer,
  type OpenGroupTasksRequest,
  type Vote,
} from '../../workflows/kit/collect';
import { Case } from '../../src/cases/case.entity';
import { Task } from '../../src/cases/task.entity';
import { DomainError, ErrorCode } from '../../src/platform/errors/domain-error';
import type { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { addTimelineOnce } from './case.activities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const log = new Logger('GroupDecision');

/** The activities of kit `collect` (workflows/kit/collect.ts); idempotent, keyed by case and step. */
export function createGroupActivities(ports: { tenantDb: TenantDb }): CollectActivities {
  return {
    /** One task per participant, assigned to them (their inbox), due at the closing time. Re-running keeps the first rows. */
    async openGroupTasks(req: OpenGroupTasksRequest) {
      if (req.participants.some((p) => !UUID.test(p)))
        throw new DomainError(
          ErrorCode.Misconfigured,
          `group ${req.step}: participants must be account ids`,
        );
      return ports.tenantDb.run(req.municipalityId, async (em) => {
        if (!(await em.exists(Case, { where: { id: req.caseId } })))
          throw new DomainError(ErrorCode.NotFound, `case ${req.caseId} not found`);
        const dueAt = new Date(req.closesAt);
        if (req.participants.length)
          await em
            .createQueryBuilder()
            .insert()
            .into(Task)
            .values(
              req.participants.map((p) => ({
                municipalityId: req.municipalityId,
                caseId: req.caseId,
                step: `${req.step}/${p}`,
                groupStep: req.step,
                processKey: req.processKey,
                role: req.role,
                formKey: req.formKey,
                title: req.title,
                assigneeId: p,
                status: 'claimed' as const,
                dueAt,
              })),
            )
            .orIgnore()
            .execute();
        const tasks = await em.find(Task, {
          where: { caseId: req.caseId, groupStep: req.step },
          order: { createdAt: 'ASC', id: 'ASC' },
        });
        await addTimelineOnce(em, {
          caseId: req.caseId,
          municipalityId: req.municipalityId,
          key: `group.opened:${req.step}`,
          kind: 'task.opened',
          data: {
            group: req.step,
            participants: tasks.length,
            role: req.role,
            formKey: req.formKey,
            dueAt: dueAt.toISOString(),
          },
        });
        return tasks.map((t) => ({ taskId: t.id, participant: t.assigneeId! }));
      });
    },

    async readGroupAnswer(req): Promise<GroupAnswer | null> {
      return ports.tenantDb.run(req.municipalityId, async (em) => {
        const t = UUID.test(req.taskId)
          ? await em.findOne(Task, { where: { id: req.taskId } })
          : null;
        const vote = t?.decision?.vote;
        if (
          !t ||
          t.caseId !== req.caseId ||
          t.groupStep !== req.step ||
          t.step !== `${req.step}/${t.completedBy}` ||
          t.status !== 'completed' ||
          !t.completedBy ||
          !t.completedAt ||
          // Stored after the closing time (the task's due date): too late to count.
          t.completedAt > t.dueAt ||
          !VOTES.includes(vote as Vote)
        ) {
          log.warn(
            `answer signal refused: case ${req.caseId}, group ${req.step}, task ${String(req.taskId).slice(0, 64)}`,
          );
          return null;
        }
        const answer: GroupAnswer = {
          participant: t.completedBy,
          taskId: t.id,
          answer: vote as Vote,
          at: t.completedAt.toISOString(),
        };
        await addTimelineOnce(
          em,
          {
            caseId: req.caseId,
            municipalityId: req.municipalityId,
            key: `group.answered:${t.id}`,
            kind: 'group.answered',
            data: { group: req.step, ...answer },
          },
          t.completedBy,
        );
        return answer;
      });
    },

    async closeGroup(req) {
      await ports.tenantDb.run(req.municipalityId, async (em) => {
        await em.update(
          Task,
          { caseId: req.caseId, groupStep: req.step, status: In(['open', 'claimed']) },
          { status: 'cancelled' },
        );
        await addTimelineOnce(em, {
          caseId: req.caseId,
          municipalityId: req.municipalityId,
          key: `group.closed:${req.step}`,
          kind: 'group.closed',
          data: { group: req.step, ...req.tally },
        });
      });
    },
  };
}
