import { Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { findProcess } from '../../workflows';
import { PROCESS_ENGINE, type ProcessEngine } from '../engine/process-engine';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { Case } from './case.entity';
import { AUDIT_SINK, type AuditSink } from './audit-sink';
import { Task } from './task.entity';
import { TimelineEvent } from './timeline-event.entity';
import { taskCompleted } from '../../workflows/kit/events';

export interface OpenCaseRequest {
  municipalityId: string;
  processKey: string;
  title: string;
  applicantRef?: string | null;
  /** Process input; `municipalityId` is added. */
  input: Record<string, unknown>;
  /** Who opened it: an account id, or `system`. */
  actor: string;
}

/** Opens cases and starts their one process run. */
@Injectable()
export class CaseService {
  constructor(
    private readonly tenantDb: TenantDb,
    @Inject(PROCESS_ENGINE) private readonly engine: ProcessEngine,
    @Inject(AUDIT_SINK) private readonly audit: AuditSink,
  ) {}

  /**
   * Writes the case (number, process key and version for life) and its first timeline entry,
   * then starts the run with workflow id = case id. Starting is idempotent (workflow id = case id).
   */
  async open(req: OpenCaseRequest): Promise<Case> {
    const def = findProcess(req.processKey);
    if (!def) throw new DomainError(ErrorCode.NotFound, `unknown process ${req.processKey}`);
    const input = { ...req.input, municipalityId: req.municipalityId };
    const c = await this.tenantDb.run(req.municipalityId, async (em) => {
      const year = new Date().getUTCFullYear();
      const prefix = def.key.replace(/-/g, '').slice(0, 3).toUpperCase();
      const [{ last }] = (await em.query(
        `INSERT INTO case_counters (municipality_id, prefix, year, last) VALUES ($1, $2, $3, 1)
         ON CONFLICT (municipality_id, prefix, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last`,
        [req.municipalityId, prefix, year],
      )) as [{ last: number }];
      const saved = await em.save(
        em.create(Case, {
          municipalityId: req.municipalityId,
          number: `${prefix}-${year}-${String(last).padStart(6, '0')}`,
          processKey: def.key,
          processVersion: def.version,
          title: req.title,
          applicantRef: req.applicantRef ?? null,
        }),
      );
      await em.insert(TimelineEvent, {
        municipalityId: req.municipalityId,
        caseId: saved.id,
        kind: 'case.opened',
        actor: req.actor,
        key: 'case.opened',
        data: { number: saved.number, process: def.id },
      });
      return saved;
    });
    await this.engine.start(c.processKey, c.id, input, { version: c.processVersion });
    return c;
  }

  /**
   * Cancels a case (e.g. withdrawn by the applicant): the case file first (status, open tasks,
   * timeline), then the run. If cancelling the run fails, its remaining activities find the
   * case no longer open and do nothing.
   */
  async cancel(
    actor: string,
    municipalityId: string,
    caseId: string,
    reason: string,
  ): Promise<void> {
    await this.tenantDb.run(municipalityId, async (em) => {
      const c = await em.findOne(Case, {
        where: { id: caseId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!c) throw new DomainError(ErrorCode.NotFound, `case ${caseId} not found`);
      if (c.status !== 'open') throw new DomainError(ErrorCode.Conflict, `case is ${c.status}`);
      await em.update(
        Case,
        { id: caseId },
        { status: 'cancelled', stage: 'cancelled', closedAt: new Date() },
      );
      await em.update(Task, { caseId, status: In(['open', 'claimed']) }, { status: 'cancelled' });
      await em.insert(TimelineEvent, {
        municipalityId,
        caseId,
        kind: 'case.cancelled',
        actor,
        data: { reason },
      });
    });
    await this.engine.cancel(caseId, reason);
  }

  async get(municipalityId: string, caseId: string): Promise<Case> {
    const c = await this.tenantDb.run(municipalityId, (em) =>
      em.findOne(Case, { where: { id: caseId } }),
    );
    if (!c) throw new DomainError(ErrorCode.NotFound, `case ${caseId} not found`);
    return c;
  }

  async timeline(municipalityId: string, caseId: string): Promise<TimelineEvent[]> {
    return this.tenantDb.run(municipalityId, (em) =>
      em.find(TimelineEvent, { where: { caseId }, order: { at: 'ASC' } }),
    );
  }

  /**
   * Delivers a process event (e.g. `info.received`) to a case's run. Refused, audited and
   * without effect for an unknown or closed case, a finished run, or a task completion (those
   * go through TaskService, which validates the decision first).
   */
  async signal(
    actor: string,
    municipalityId: string,
    caseId: string,
    topic: string,
    payload: unknown,
    idempotencyKey?: string,
  ): Promise<void> {
    try {
      if (topic === taskCompleted.name || topic.startsWith(`${taskCompleted.name}:`)) {
        throw new DomainError(ErrorCode.Forbidden, 'task completions are sent by the task service');
      }
      const c = /^[0-9a-f-]{36}$/i.test(caseId)
        ? await this.tenantDb.run(municipalityId, (em) =>
            em.findOne(Case, { where: { id: caseId } }),
          )
        : null;
      if (!c) throw new DomainError(ErrorCode.NotFound, `case ${caseId} not found`);
      if (c.status !== 'open') throw new DomainError(ErrorCode.Conflict, `case is ${c.status}`);
      const run = await this.engine.describe(caseId);
      if (run?.status !== 'running')
        throw new DomainError(ErrorCode.Conflict, `no running process for case ${caseId}`);
      await this.engine.signal(
        caseId,
        topic,
        payload,
        idempotencyKey ? { idempotencyKey } : undefined,
      );
    } catch (e) {
      if (e instanceof DomainError) {
        await this.audit.record({
          municipalityId,
          actor,
          action: 'case.signal',
          outcome: 'refused',
          subject: { type: 'case', id: caseId },
          reason: e.code,
          data: { topic },
        });
      }
      throw e;
    }
  }
}
