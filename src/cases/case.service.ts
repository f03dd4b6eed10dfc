import { Inject, Injectable, Logger } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { findProcess } from '../../workflows';
import { PROCESS_ENGINE, type ProcessEngine } from '../engine/process-engine';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { afterCommit } from '../platform/database/after-commit';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { Case } from './case.entity';
import { AUDIT_SINK, type AuditSink } from './audit-sink';
import { Task } from './task.entity';
import { TimelineEvent } from './timeline-event.entity';
import { isReservedTopic } from '../../workflows/kit/links';
import { linkCases, linkedCases, type LinkCaseRequest, type LinkedCase } from './case-links';
import { isUuid } from '../platform/ids';
import {
  CASE_STATUS_REPORTER,
  type CaseStatusReporter,
  type IntakeChannel,
} from './service-status/case-status';

/** A parent must be a case of the caller's municipality (RLS hides any other). */
async function requireParent(em: EntityManager, parentCaseId: string): Promise<void> {
  const found = isUuid(parentCaseId) && (await em.exists(Case, { where: { id: parentCaseId } }));
  if (!found)
    throw DomainError.validation([
      { field: 'parentCaseId', message: 'cases:errors.parentNotFound' },
    ]);
}

export interface OpenCaseRequest {
  municipalityId: string;
  processKey: string;
  title: string;
  applicantRef?: string | null;
  /** Process input; `municipalityId` is added. */
  input: Record<string, unknown>;
  /** Who opened it: an account id, or `system`. */
  actor: string;
  /** The case this one is part of (same municipality), e.g. a payment case of a decision. */
  parentCaseId?: string | null;
  /** How the request arrived (reported to the services platform); default `counter`. */
  channel?: IntakeChannel;
}

/** A `cases` row as returned by RETURNING * (snake_case) as an entity. */
function caseFromRow(r: Record<string, unknown>): Case {
  return Object.assign(new Case(), {
    id: r.id,
    municipalityId: r.municipality_id,
    number: r.number,
    processKey: r.process_key,
    processVersion: r.process_version,
    status: r.status,
    stage: r.stage,
    outcome: r.outcome,
    applicantRef: r.applicant_ref,
    title: r.title,
    parentId: r.parent_id ?? null,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    runStartedAt: r.run_started_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}

/** Opens cases and starts their one process run. */
@Injectable()
export class CaseService {
  private readonly log = new Logger(CaseService.name);

  constructor(
    private readonly tenantDb: TenantDb,
    @Inject(PROCESS_ENGINE) private readonly engine: ProcessEngine,
    @Inject(AUDIT_SINK) private readonly audit: AuditSink,
    // Always bound in the app; absent only where tests build the case core without Nest.
    @Inject(CASE_STATUS_REPORTER)
    private readonly statusReports?: CaseStatusReporter,
  ) {}

  /**
   * Writes the case (number, process key and version for life) and its first timeline entry,
   * then starts the run with workflow id = case id (idempotent).
   *
   * With `em` (the caller's open transaction from TenantDb.run), the case is written in that
   * transaction, beside the caller's own rows, and the run is started only after it commits: the
   * run's first activity finds every row the caller wrote, and a rollback leaves no case and no
   * run. Without `em`, the case gets its own transaction and the run starts after it.
   *
   * A start that fails (engine down, crash between commit and start) is logged; the case keeps its
   * run input and no `run_started_at`, and CaseRunRecovery starts the run later.
   */
  async open(req: OpenCaseRequest, em?: EntityManager): Promise<Case> {
    const def = findProcess(req.processKey);
    if (!def) throw new DomainError(ErrorCode.NotFound, `unknown process ${req.processKey}`);
    const input = { ...req.input, municipalityId: req.municipalityId };
    if (em) {
      const c = await this.insertCase(em, req, def, input);
      afterCommit(em, async () => void (await this.startRun(c, input)));
      return c;
    }
    const c = await this.tenantDb.run(req.municipalityId, (tx) =>
      this.insertCase(tx, req, def, input),
    );
    await this.startRun(c, input);
    return c;
  }

  private async insertCase(
    em: EntityManager,
    req: OpenCaseRequest,
    def: { key: string; version: number; id: string },
    input: Record<string, unknown>,
  ): Promise<Case> {
    if (req.parentCaseId) await requireParent(em, req.parentCaseId);
    const year = new Date().getUTCFullYear();
    const prefix = def.key.replace(/-/g, '').slice(0, 3).toUpperCase();
    // One statement: the gap-free counter row stays locked only until this transaction commits,
    // so concurrent openings of one municipality queue for as short a time as possible (a caller
    // passing its transaction should open the case as its last write).
    const [row] = (await em.query(
      `WITH n AS (
         INSERT INTO case_counters (municipality_id, prefix, year, last) VALUES ($1, $2, $3, 1)
         ON CONFLICT (municipality_id, prefix, year) DO UPDATE SET last = case_counters.last + 1
         RETURNING last),
       c AS (
         INSERT INTO cases (municipality_id, number, process_key, process_version, title, applicant_ref, run_input, parent_id)
         SELECT $1, $2 || '-' || $3::text || '-' || lpad(n.last::text, 6, '0'), $4, $5, $6, $7, $10::jsonb, $11::uuid FROM n
         RETURNING *),
       t AS (
         INSERT INTO timeline_events (municipality_id, case_id, kind, actor, key, data)
         SELECT $1, c.id, 'case.opened', $8, 'case.opened', jsonb_build_object('number', c.number, 'process', $9::text) FROM c)
       SELECT * FROM c`,
      [
        req.municipalityId,
        prefix,
        year,
        def.key,
        def.version,
        req.title,
        req.applicantRef ?? null,
        req.actor,
        def.id,
        JSON.stringify(input),
        req.parentCaseId ?? null,
      ],
    )) as Record<string, unknown>[];
    const c = caseFromRow(row);
    // Registered in the channel it came through: reported to the services platform with the case.
    await this.statusReports?.record(em, {
      municipalityId: c.municipalityId,
      caseId: c.id,
      status: 'registered',
      step: 'opened',
      at: c.openedAt,
      channel: req.channel ?? 'counter',
    });
    return c;
  }

  /**
   * Starts the case's run and records that it started; a failure is logged (the sweep retries).
   * `em`: record in this transaction (the sweep's, which holds the case's row lock).
   */
  async startRun(
    c: Pick<Case, 'id' | 'municipalityId' | 'processKey' | 'processVersion'>,
    input: unknown,
    em?: EntityManager,
  ): Promise<boolean> {
    try {
      await this.engine.start(c.processKey, c.id, input, { version: c.processVersion });
    } catch (e) {
      this.log.warn(
        `case ${c.id}: starting its run failed, the recovery sweep retries: ${e instanceof Error ? e.message : String(e)}`,
      );
      return false;
    }
    const record = (tx: EntityManager) =>
      tx.query(
        `UPDATE cases SET run_started_at = now(), run_input = NULL WHERE id = $1 AND run_started_at IS NULL`,
        [c.id],
      );
    await (em ? record(em) : this.tenantDb.run(c.municipalityId, record));
    return true;
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

  /**
   * Links one case to another of the same municipality with a type (CASE_LINK_TYPES), e.g. an
   * agenda item `decides` a case. Idempotent; a link to a case of another municipality is refused
   * as "not found" (field `toCaseId`). Recorded on both cases' timelines and audited.
   */
  async link(actor: string, req: Omit<LinkCaseRequest, 'actor'>): Promise<boolean> {
    const created = await this.tenantDb.run(req.municipalityId, (em) =>
      linkCases(em, { ...req, actor }),
    );
    if (created)
      await this.audit.record({
        municipalityId: req.municipalityId,
        actor,
        action: 'case.link',
        outcome: 'allowed',
        subject: { type: 'case', id: req.fromCaseId },
        data: { toCaseId: req.toCaseId, type: req.type },
      });
    return created;
  }

  /** The cases linked to a case, both directions, with its parent and children. */
  async links(municipalityId: string, caseId: string): Promise<LinkedCase[]> {
    return this.tenantDb.run(municipalityId, (em) => linkedCases(em, caseId));
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
      if (isReservedTopic(topic)) {
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
