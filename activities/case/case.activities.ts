import { In, type EntityManager } from 'typeorm';
import { Logger } from '@nestjs/common';
import type {
  OpenedTask,
  OpenTaskRequest,
  ReadTaskDecisionRequest,
  StoredTaskDecision,
  TaskDue,
  TaskRef,
} from '../../workflows/kit';
import type { AuditSink } from '../../src/cases/audit-sink';
import { DomainError, ErrorCode } from '../../src/platform/errors/domain-error';
import type { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { Case } from '../../src/cases/case.entity';
import { Task } from '../../src/cases/task.entity';
import type { CaseStatusReporter } from '../../src/cases/service-status/case-status';

/** Working-day arithmetic lives in the legal deadlines service; it is plugged in here. */
export interface DueDateCalculator {
  addWorkingDays(municipalityId: string, from: Date, days: number): Promise<Date>;
}

export interface CaseActivityPorts {
  tenantDb: TenantDb;
  dueDates?: DueDateCalculator;
  clock?: () => Date;
  /** Where refused completion signals are recorded; without it they are only logged. */
  audit?: AuditSink;
  /** Reports the decision to the services platform (PSPP) with the case change. */
  statusReports?: CaseStatusReporter;
}

/** Why a completion signal did not complete the task (the run keeps waiting). */
type RefusedSignal =
  'names-another-task' | 'unknown-task' | 'task-of-another-case' | 'task-not-completed';

const log = new Logger('TaskDecision');

export interface CaseRef {
  caseId: string;
  municipalityId: string;
}

export interface TimelineEntry extends CaseRef {
  /** Idempotency key, unique per case (e.g. `registry.checked`). */
  key: string;
  kind: string;
  data?: Record<string, unknown>;
}

/** Adds a timeline entry once per (case, key); returns whether this call wrote it. */
export async function addTimelineOnce(
  em: EntityManager,
  e: TimelineEntry,
  actor = 'system',
): Promise<boolean> {
  const rows: unknown[] = await em.query(
    `INSERT INTO timeline_events (municipality_id, case_id, key, kind, actor, data)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT (case_id, key) DO NOTHING RETURNING id`,
    [e.municipalityId, e.caseId, e.key, e.kind, actor, JSON.stringify(e.data ?? {})],
  );
  return rows.length > 0;
}

/** Rows of an UPDATE … RETURNING (TypeORM returns [rows, count] for a bare UPDATE, so wrap it in a CTE). */
async function updateReturning<T>(
  em: EntityManager,
  update: string,
  params: unknown[],
): Promise<T[]> {
  return (await em.query(`WITH u AS (${update}) SELECT * FROM u`, params)) as T[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function requireCase(em: EntityManager, caseId: string): Promise<Case> {
  const c = await em.findOne(Case, { where: { id: caseId } });
  if (!c) throw new DomainError(ErrorCode.NotFound, `case ${caseId} not found`);
  return c;
}

/**
 * Case-file activities. Every one is idempotent, keyed by case and step, because engines run
 * activities at least once (a crash after the effect and before the checkpoint repeats it).
 */
export function createCaseActivities(ports: CaseActivityPorts) {
  const now = ports.clock ?? (() => new Date());

  const dueDate = async (municipalityId: string, from: Date, due: TaskDue): Promise<Date> => {
    if ('at' in due) return new Date(due.at);
    if ('inMs' in due) return new Date(from.getTime() + due.inMs);
    if (!ports.dueDates)
      throw new DomainError(ErrorCode.Misconfigured, 'no working-day calendar configured');
    return ports.dueDates.addWorkingDays(municipalityId, from, due.workingDays);
  };

  const markTask = (ref: TaskRef, column: 'remindedAt' | 'escalatedAt', kind: string) =>
    ports.tenantDb.run(ref.municipalityId, async (em) => {
      const res = await em
        .createQueryBuilder()
        .update(Task)
        .set({ [column]: now() })
        .where('id = :id AND case_id = :caseId', { id: ref.taskId, caseId: ref.caseId })
        .andWhere(`${column === 'remindedAt' ? 'reminded_at' : 'escalated_at'} IS NULL`)
        .andWhere(`status IN ('open', 'claimed')`)
        .execute();
      if (res.affected)
        await addTimelineOnce(em, {
          ...ref,
          key: `${kind}:${ref.taskId}`,
          kind,
          data: { taskId: ref.taskId },
        });
    });

  const refuseSignal = async (
    req: ReadTaskDecisionRequest,
    reason: RefusedSignal,
  ): Promise<void> => {
    const signalled = String(req.signalledTaskId).slice(0, 64);
    log.warn(
      `completion signal refused (${reason}): case ${req.caseId}, task ${req.taskId}, signal named ${signalled}`,
    );
    await ports.audit?.record({
      municipalityId: req.municipalityId,
      actor: 'system',
      action: 'task.signal',
      outcome: 'refused',
      subject: { type: 'task', id: req.taskId },
      reason,
      data: { caseId: req.caseId, signalledTaskId: signalled },
    });
  };

  return {
    async openTask(req: OpenTaskRequest): Promise<OpenedTask> {
      return ports.tenantDb.run(req.municipalityId, async (em) => {
        await requireCase(em, req.caseId);
        const existing = await em.findOne(Task, { where: { caseId: req.caseId, step: req.step } });
        // Re-running keeps the first row and its due date: a deadline never restarts from zero.
        const task =
          existing ??
          (await (async () => {
            const opened = now();
            const dueAt = await dueDate(req.municipalityId, opened, req.due);
            const remindAt =
              req.remindBeforeMs !== undefined
                ? new Date(dueAt.getTime() - req.remindBeforeMs)
                : null;
            await em
              .createQueryBuilder()
              .insert()
              .into(Task)
              .values({
                municipalityId: req.municipalityId,
                caseId: req.caseId,
                step: req.step,
                processKey: req.processKey,
                role: req.role,
                formKey: req.formKey,
                title: req.title,
                dueAt,
                remindAt,
              })
              .orIgnore()
              .execute();
            const t = await em.findOneOrFail(Task, {
              where: { caseId: req.caseId, step: req.step },
            });
            await addTimelineOnce(em, {
              caseId: req.caseId,
              municipalityId: req.municipalityId,
              key: `task.opened:${req.step}`,
              kind: 'task.opened',
              data: {
                taskId: t.id,
                role: t.role,
                formKey: t.formKey,
                dueAt: t.dueAt.toISOString(),
              },
            });
            return t;
          })());
        return {
          taskId: task.id,
          dueAt: task.dueAt.toISOString(),
          remindAt: task.remindAt?.toISOString() ?? null,
        };
      });
    },

    /**
     * The decision the task service authorised, validated and stored for this case's task: what
     * the run acts on after `task.completed:<taskId>` (issue 12 H4). The signal only names the
     * task; one naming another task, or arriving for a task that is unknown, of another case or
     * not completed, is refused (null), audited, and the run keeps waiting.
     */
    async readTaskDecision(req: ReadTaskDecisionRequest): Promise<StoredTaskDecision | null> {
      const found = await ports.tenantDb.run(req.municipalityId, async (em) => {
        if (req.signalledTaskId !== req.taskId) return 'names-another-task' as const;
        const t = UUID.test(req.taskId)
          ? await em.findOne(Task, { where: { id: req.taskId } })
          : null;
        if (!t) return 'unknown-task' as const;
        if (t.caseId !== req.caseId) return 'task-of-another-case' as const;
        if (t.status === 'completed' && t.decision && t.completedBy && t.completedAt)
          return {
            decision: t.decision,
            completedBy: t.completedBy,
            completedAt: t.completedAt.toISOString(),
          };
        // The system withdrew the task (TaskService.withdraw): its decision says so.
        if (t.status === 'cancelled' && t.decision?.outcome === 'withdrawn' && t.completedAt)
          return {
            decision: t.decision,
            completedBy: 'system',
            completedAt: t.completedAt.toISOString(),
          };
        return 'task-not-completed' as const;
      });
      if (typeof found !== 'string') return found;
      await refuseSignal(req, found);
      return null;
    },

    remindTask: (ref: TaskRef): Promise<void> => markTask(ref, 'remindedAt', 'task.reminded'),
    escalateTask: (ref: TaskRef): Promise<void> => markTask(ref, 'escalatedAt', 'task.escalated'),

    async recordTimeline(entry: TimelineEntry): Promise<void> {
      await ports.tenantDb.run(entry.municipalityId, async (em) => {
        await requireCase(em, entry.caseId);
        await addTimelineOnce(em, entry);
      });
    },

    async setStage(req: CaseRef & { stage: string }): Promise<void> {
      await ports.tenantDb.run(req.municipalityId, async (em) => {
        await em.update(Case, { id: req.caseId, status: 'open' }, { stage: req.stage });
      });
    },

    async recordDecision(
      req: CaseRef & { outcome: string; decidedBy: string; reason?: string },
    ): Promise<void> {
      await ports.tenantDb.run(req.municipalityId, async (em) => {
        const rows = await updateReturning<{ id: string }>(
          em,
          `UPDATE cases SET outcome = $2, stage = 'decided', updated_at = now() WHERE id = $1 AND status = 'open' RETURNING id`,
          [req.caseId, req.outcome],
        );
        // Nothing updated: a repeat after the case was closed (keep it as it is) or no such case.
        if (rows.length === 0) return void (await requireCase(em, req.caseId));
        await addTimelineOnce(
          em,
          {
            ...req,
            key: 'case.decided',
            kind: 'case.decided',
            data: { outcome: req.outcome, reason: req.reason ?? null },
          },
          req.decidedBy,
        );
        await ports.statusReports?.record(em, {
          municipalityId: req.municipalityId,
          caseId: req.caseId,
          status: 'decided',
          step: 'case.decided',
          at: now(),
          outcome: req.outcome,
        });
      });
    },

    async closeCase(req: CaseRef & { outcome?: string }): Promise<void> {
      await ports.tenantDb.run(req.municipalityId, async (em) => {
        const rows = await updateReturning<{ outcome: string | null }>(
          em,
          `UPDATE cases SET status = 'closed', stage = 'closed', closed_at = $2, outcome = COALESCE($3, outcome), updated_at = now()
           WHERE id = $1 AND status = 'open' RETURNING outcome`,
          [req.caseId, now(), req.outcome ?? null],
        );
        // Nothing updated: already closed (a repeated attempt) or no such case.
        if (rows.length === 0) return void (await requireCase(em, req.caseId));
        await em.update(
          Task,
          { caseId: req.caseId, status: In(['open', 'claimed']) },
          { status: 'cancelled' },
        );
        await addTimelineOnce(em, {
          ...req,
          key: 'case.closed',
          kind: 'case.closed',
          data: { outcome: rows[0].outcome },
        });
      });
    },
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
