import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../platform/clock/clock';
import { In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { taskCompleted, type TaskCompleted } from '../../workflows/kit/events';
import { groupAnswered } from '../../workflows/kit/collect';
import { PROCESS_ENGINE, type ProcessEngine } from '../engine/process-engine';
import { mayAccessCase, mayWorkOnTask } from '../platform/auth/case-access';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { ProcessRegistry } from '../processes/process-registry';
import { MANAGER_ROLE, type ActingUser } from './acting-user';
import { AUDIT_SINK, type AuditSink } from './audit-sink';
import { Case } from './case.entity';
import { validateDecision } from './forms/validate-decision';
import { Task } from './task.entity';
import { TimelineEvent } from './timeline-event.entity';

export type TaskScope = 'role' | 'mine' | 'escalated';

const ACTIVE = ['open', 'claimed'] as const;
/** The purpose recorded with each task command: reassigning is a manager's allocation of work. */
const purposeOf = (action: string): string =>
  action === 'task.reassign' ? 'workload allocation' : 'case handling';
/** A participant's task in a group decision (kit `collect`) stays theirs: nobody else answers for them. */
function refuseGroupTask(t: Task): void {
  if (t.groupStep)
    throw new DomainError(ErrorCode.Conflict, 'a group decision task stays with its participant');
}

const forbidden = (why: string) => new DomainError(ErrorCode.Forbidden, why);

/**
 * Human work on tasks opened by process runs. Every command checks the rules inside one
 * transaction; a refused attempt changes nothing and is audited. Completing stores the decision
 * and a timeline entry in one transaction, then signals the run with the task id only: the run
 * reads the decision from the task row.
 */
@Injectable()
export class TaskService {
  constructor(
    private readonly tenantDb: TenantDb,
    @Inject(PROCESS_ENGINE) private readonly engine: ProcessEngine,
    @Inject(AUDIT_SINK) private readonly audit: AuditSink,
    private readonly processes: ProcessRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Active tasks for the user's roles (`role`), assigned to them (`mine`), or escalated (managers). */
  async list(user: ActingUser, scope: TaskScope = 'role'): Promise<Task[]> {
    const tasks = await this.tenantDb.run(user.municipalityId, (em) => {
      const q = em
        .createQueryBuilder(Task, 't')
        .where('t.status IN (:...active)', { active: ACTIVE })
        .orderBy('t.first_due_at', 'ASC')
        .limit(500);
      switch (scope) {
        case 'role':
          return q
            .andWhere('t.role IN (:...roles)', { roles: user.roles.length ? user.roles : [''] })
            .getMany();
        case 'mine':
          return q.andWhere('t.assignee_id = :me', { me: user.accountId }).getMany();
        case 'escalated':
          if (!user.roles.includes(MANAGER_ROLE)) return Promise.resolve([]);
          return q.andWhere('t.escalated_at IS NOT NULL').getMany();
      }
    });
    // Only tasks of cases the user may open (a caseworker's process grants).
    return tasks.filter((t) =>
      scope === 'role' ? mayWorkOnTask(user, t) : mayAccessCase(user, t, 'read'),
    );
  }

  async get(user: ActingUser, taskId: string): Promise<Task> {
    return this.tenantDb.run(user.municipalityId, async (em) =>
      this.visible(user, await this.load(em, taskId)),
    );
  }

  claim(user: ActingUser, taskId: string): Promise<Task> {
    return this.command(user, 'task.claim', taskId, async (em, t) => {
      this.requireRole(user, t);
      if (t.status === 'claimed' && t.assigneeId === user.accountId) return t;
      if (t.status !== 'open') throw new DomainError(ErrorCode.Conflict, `task is ${t.status}`);
      return this.update(
        em,
        t,
        { status: 'claimed', assigneeId: user.accountId },
        'task.claimed',
        user,
      );
    });
  }

  release(user: ActingUser, taskId: string): Promise<Task> {
    return this.command(user, 'task.release', taskId, async (em, t) => {
      refuseGroupTask(t);
      if (t.status !== 'claimed') throw new DomainError(ErrorCode.Conflict, `task is ${t.status}`);
      if (t.assigneeId !== user.accountId && !user.roles.includes(MANAGER_ROLE))
        throw forbidden('task is claimed by someone else');
      return this.update(em, t, { status: 'open', assigneeId: null }, 'task.released', user);
    });
  }

  /** A manager hands the task to staff of its municipality who hold its role and process grant (issue 12 L5). */
  reassign(user: ActingUser, taskId: string, assigneeId: string): Promise<Task> {
    return this.command(user, 'task.reassign', taskId, async (em, t) => {
      if (!mayAccessCase(user, t, 'manage')) throw forbidden('only a manager may reassign tasks');
      refuseGroupTask(t);
      if (!ACTIVE.includes(t.status as (typeof ACTIVE)[number]))
        throw new DomainError(ErrorCode.Conflict, `task is ${t.status}`);
      if (!(await this.mayReceive(em, t, assigneeId)))
        throw DomainError.validation([
          { field: 'assigneeId', message: 'workspace:errors.assignee' },
        ]);
      return this.update(em, t, { status: 'claimed', assigneeId }, 'task.reassigned', user, {
        from: t.assigneeId,
        to: assigneeId,
      });
    });
  }

  /**
   * Authorises, validates and stores the decision on the task row, then signals
   * `task.completed:<taskId>` (task id only) to the case's run, which reads the stored decision.
   */
  async complete(user: ActingUser, taskId: string, rawDecision: unknown): Promise<Task> {
    const done = await this.command(user, 'task.complete', taskId, async (em, t) => {
      if (t.status === 'completed')
        throw new DomainError(ErrorCode.AlreadyDone, 'task already completed');
      if (t.status === 'cancelled') throw new DomainError(ErrorCode.Conflict, 'task is cancelled');
      const managerOnEscalated = t.escalatedAt !== null && user.roles.includes(MANAGER_ROLE);
      if (!managerOnEscalated) this.requireRole(user, t);
      if (t.status === 'claimed' && t.assigneeId !== user.accountId && !managerOnEscalated)
        throw forbidden('task is claimed by someone else');
      const c = await em.findOne(Case, { where: { id: t.caseId } });
      if (!c || c.status !== 'open') throw new DomainError(ErrorCode.Conflict, 'case is closed');
      const decision = await validateDecision(
        t.formKey,
        this.processes.form(t.formKey),
        rawDecision,
        this.clock.now(),
      );
      // A decision nobody would act on is refused rather than stored.
      const run = await this.engine.describe(t.caseId);
      if (run?.status !== 'running') {
        throw new DomainError(ErrorCode.Conflict, `the process of case ${t.caseId} is not running`);
      }
      return this.update(
        em,
        t,
        {
          status: 'completed',
          decision,
          completedBy: user.accountId,
          completedAt: this.clock.now(),
        },
        'task.completed',
        user,
        {
          decision,
        },
      );
    });
    await this.signalCompletion(done);
    return done;
  }

  /**
   * Withdraws an active task whose decision the process no longer needs (the matter ended by
   * itself, e.g. a re-declaration ends an annulment under review). The system does it, not a
   * user: the task is cancelled with the given `withdrawn` decision, the timeline says so, and the
   * run reads it as the task's completion. Idempotent: a task already withdrawn is signalled
   * again; a task already decided by a person is left alone (returns false).
   */
  async withdraw(
    municipalityId: string,
    taskId: string,
    decision: { outcome: 'withdrawn' } & Record<string, unknown>,
  ): Promise<boolean> {
    const t = await this.tenantDb.run(municipalityId, async (em) => {
      const t = await this.load(em, taskId, true);
      if (t.status === 'completed') return null;
      if (t.status === 'cancelled')
        return (t.decision as { outcome?: string } | null)?.outcome === 'withdrawn' ? t : null;
      const patch = { status: 'cancelled' as const, decision, completedAt: new Date() };
      await em.update(
        Task,
        { id: t.id, status: In([...ACTIVE]) },
        patch as QueryDeepPartialEntity<Task>,
      );
      await em.insert(TimelineEvent, {
        municipalityId,
        caseId: t.caseId,
        kind: 'task.withdrawn',
        actor: 'system',
        data: { taskId: t.id, decision },
      });
      return { ...t, ...patch } as Task;
    });
    if (!t) return false;
    await this.audit.record({
      municipalityId,
      actor: 'system',
      action: 'task.withdraw',
      outcome: 'allowed',
      subject: { type: 'task', id: taskId },
    });
    await this.signalCompletion(t);
    return true;
  }

  /**
   * Re-sends the completion signal of completed tasks whose case is still open: repairs the
   * window where the decision was committed but the signal failed (engine down). Safe to run
   * any time (e.g. at startup or from an operator job): the idempotency key makes repeats no-ops.
   */
  async resendCompletions(municipalityId: string): Promise<number> {
    const pending = await this.tenantDb.run(municipalityId, (em) =>
      em
        .createQueryBuilder(Task, 't')
        .innerJoin(Case, 'c', 'c.id = t.case_id')
        .where(`t.status = 'completed' AND c.status = 'open'`)
        .getMany(),
    );
    for (const t of pending) await this.signalCompletion(t);
    return pending.length;
  }

  /**
   * Tells the run that the task's decision is stored. The signal names the task only: the run
   * reads the decision from the task row (activity readTaskDecision), so nothing in a signal,
   * forged or not, can choose the outcome (issue 12 H4).
   */
  private async signalCompletion(t: Task): Promise<void> {
    const payload: TaskCompleted = { taskId: t.id };
    // A participant's answer in a group decision goes to the group's one wait (kit `collect`).
    const topic = t.groupStep
      ? groupAnswered.for(t.groupStep).topic
      : taskCompleted.for(t.id).topic;
    // The idempotency key makes a repeated signal (a retry, resendCompletions) a no-op. It holds
    // the completion time, so a signal sent ahead under a guessable key cannot swallow this one.
    await this.engine.signal(t.caseId, topic, payload, {
      idempotencyKey: `${topic}@${t.completedAt!.toISOString()}`,
    });
  }

  private requireRole(user: ActingUser, t: Task): void {
    if (!mayWorkOnTask(user, t)) throw forbidden(`requires role ${t.role} for ${t.processKey}`);
  }

  /** A task of a case the user may not open is "not found" (its existence is not revealed). */
  private visible(user: ActingUser, t: Task): Task {
    if (!mayAccessCase(user, t, 'read'))
      throw new DomainError(ErrorCode.NotFound, `task ${t.id} not found`);
    return t;
  }

  /** Whether the account is enabled staff of the task's municipality holding the task's role and process grant. */
  private async mayReceive(em: EntityManager, t: Task, accountId: string): Promise<boolean> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(accountId))
      return false;
    const grants = (await em.query(
      `SELECT r.role, r.process_key AS "processKey" FROM role_assignments r JOIN accounts a ON a.id = r.account_id
        WHERE r.account_id = $1 AND r.municipality_id = $2 AND NOT a.disabled`,
      [accountId, t.municipalityId],
    )) as { role: string; processKey: string | null }[];
    return (
      grants.length > 0 && mayWorkOnTask({ accountId, municipalityId: t.municipalityId, grants }, t)
    );
  }

  private async load(em: EntityManager, taskId: string, lock = false): Promise<Task> {
    const t = /^[0-9a-f-]{36}$/i.test(taskId)
      ? await em.findOne(Task, {
          where: { id: taskId },
          ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
        })
      : null;
    if (!t) throw new DomainError(ErrorCode.NotFound, `task ${taskId} not found`);
    return t;
  }

  /** Runs a task command in one transaction with the row locked; audits the outcome either way. */
  private async command(
    user: ActingUser,
    action: string,
    taskId: string,
    fn: (em: EntityManager, t: Task) => Promise<Task>,
  ): Promise<Task> {
    try {
      const t = await this.tenantDb.run(user.municipalityId, async (em) =>
        fn(em, this.visible(user, await this.load(em, taskId, true))),
      );
      await this.audit.record({
        municipalityId: user.municipalityId,
        actor: user.accountId,
        action,
        outcome: 'allowed',
        subject: { type: 'task', id: taskId },
        purpose: purposeOf(action),
      });
      return t;
    } catch (e) {
      if (e instanceof DomainError) {
        await this.audit.record({
          municipalityId: user.municipalityId,
          actor: user.accountId,
          action,
          outcome: 'refused',
          subject: { type: 'task', id: taskId },
          purpose: purposeOf(action),
          reason: e.code,
          data: e.fields.length
            ? { fields: [...new Set(e.fields.map((f) => f.field))] }
            : undefined,
        });
      }
      throw e;
    }
  }

  private async update(
    em: EntityManager,
    t: Task,
    patch: Partial<
      Pick<Task, 'status' | 'assigneeId' | 'decision' | 'completedBy' | 'completedAt'>
    >,
    kind: string,
    user: ActingUser,
    data: Record<string, unknown> = {},
  ): Promise<Task> {
    const res = await em.update(
      Task,
      { id: t.id, status: In([...ACTIVE]) },
      patch as QueryDeepPartialEntity<Task>,
    );
    if (!res.affected) throw new DomainError(ErrorCode.Conflict, 'task changed meanwhile');
    await em.insert(TimelineEvent, {
      municipalityId: t.municipalityId,
      caseId: t.caseId,
      kind,
      actor: user.accountId,
      data: { taskId: t.id, ...data },
    });
    return { ...t, ...patch } as Task;
  }
}
