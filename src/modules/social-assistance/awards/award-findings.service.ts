import { Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Task } from '../../../cases/task.entity';
import { isIsoDate } from '../../../deadlines/calendar/working-days';
import { CLOCK, type Clock } from '../../../platform/clock/clock';
import { DomainError, ErrorCode, type FieldError } from '../../../platform/errors/domain-error';
import { TenantDb } from '../../../platform/tenancy/tenant-db';
import { AwardStatusPublisher } from './award-status.publisher';
import { PROCESS_ENGINE, type ProcessEngine } from '../../../engine/process-engine';
import { afterCommit } from '../../../platform/database/after-commit';
import { awardChanged } from '../../../../workflows/social-assistance/events';
import { SocialAssistanceAward } from './award.entity';
import { SocialAssistanceAwardFinding } from './award-finding.entity';

/** The timeline entries of a caseworker's answer to a finding (declared in the manifest's timelineKinds). */
export const AWARD_STOPPED = 'social-assistance.award-stopped';
export const FINDING_DISMISSED = 'social-assistance.finding-dismissed';

export interface FindingRow {
  finding: SocialAssistanceAwardFinding;
  award: SocialAssistanceAward;
  caseNumber: string;
}

export interface Resolver {
  municipalityId: string;
  accountId: string;
}

const REASONS_MAX = 2000;

/**
 * The caseworker's side of the integrity monitor: open findings, and for one finding either a
 * stop of the award from a date with reasons (award `stopped`, the status transfer sent, a
 * timeline entry, the finding's task completed) or a dismissal with reasons. Each in one
 * transaction with the finding locked, so a finding is answered once.
 */
@Injectable()
export class AwardFindingsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly publisher: AwardStatusPublisher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PROCESS_ENGINE) private readonly engine: ProcessEngine,
  ) {}

  list(municipalityId: string, status: 'open' | 'all' = 'open'): Promise<FindingRow[]> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const findings = await em.find(SocialAssistanceAwardFinding, {
        where: status === 'open' ? { status: 'open' } : {},
        order: { createdAt: 'ASC' },
        take: 500,
      });
      return this.withAwards(em, findings);
    });
  }

  async get(municipalityId: string, id: string): Promise<FindingRow> {
    const rows = await this.tenantDb.run(municipalityId, async (em) =>
      this.withAwards(em, await em.find(SocialAssistanceAwardFinding, { where: { id } })),
    );
    if (!rows.length) throw new DomainError(ErrorCode.NotFound, `finding ${id} not found`);
    return rows[0];
  }

  async stop(
    who: Resolver,
    id: string,
    input: { stoppedOn?: unknown; reasons?: unknown },
  ): Promise<SocialAssistanceAward> {
    const reasons = text(input.reasons);
    const stoppedOn = typeof input.stoppedOn === 'string' ? input.stoppedOn.trim() : '';
    return this.tenantDb.run(who.municipalityId, async (em) => {
      const finding = await this.lockOpen(em, id);
      const award = await em
        .createQueryBuilder(SocialAssistanceAward, 'a')
        .setLock('pessimistic_write')
        .where('a.id = :id', { id: finding.awardId })
        .getOneOrFail();
      const errors: FieldError[] = [];
      if (!isIsoDate(stoppedOn))
        errors.push({ field: 'stoppedOn', message: 'social-assistance:findings.errors.date' });
      else if (stoppedOn <= award.validFrom || stoppedOn > award.validUntil)
        errors.push({
          field: 'stoppedOn',
          message: 'social-assistance:findings.errors.outsidePeriod',
          params: { from: award.validFrom, until: award.validUntil },
        });
      if (!reasons)
        errors.push({ field: 'reasons', message: 'social-assistance:findings.errors.reasons' });
      if (errors.length) throw DomainError.validation(errors);
      if (award.state !== 'active')
        throw new DomainError(ErrorCode.Conflict, 'the award is no longer in force', [
          { field: 'stoppedOn', message: 'social-assistance:findings.errors.notActive' },
        ]);
      award.state = 'stopped';
      award.stopReason = finding.kind;
      award.stoppedOn = stoppedOn;
      await em.update(SocialAssistanceAward, award.id, {
        state: 'stopped',
        stopReason: finding.kind,
        stoppedOn,
      });
      await this.publisher.publishAwardStatus(em, award);
      await this.resolve(em, who, finding, 'stopped', reasons, AWARD_STOPPED, { stoppedOn });
      // The case's run reads the award again at once and withdraws the months from the stop on. A
      // signal lost here costs nothing: the run reads the award at each month's start anyway.
      afterCommit(em, async () => {
        await this.engine
          .signal(
            award.caseId,
            awardChanged.topic.topic,
            { reason: finding.kind },
            {
              idempotencyKey: `award-stopped:${award.id}`,
            },
          )
          .catch(() => undefined);
      });
      return award;
    });
  }

  async dismiss(who: Resolver, id: string, input: { reasons?: unknown }): Promise<void> {
    const reasons = text(input.reasons);
    await this.tenantDb.run(who.municipalityId, async (em) => {
      const finding = await this.lockOpen(em, id);
      if (!reasons)
        throw DomainError.validation([
          { field: 'reasons', message: 'social-assistance:findings.errors.reasons' },
        ]);
      await this.resolve(em, who, finding, 'dismissed', reasons, FINDING_DISMISSED, {});
    });
  }

  private async lockOpen(
    em: import('typeorm').EntityManager,
    id: string,
  ): Promise<SocialAssistanceAwardFinding> {
    const finding = await em
      .createQueryBuilder(SocialAssistanceAwardFinding, 'f')
      .setLock('pessimistic_write')
      .where('f.id = :id', { id })
      .getOne();
    if (!finding) throw new DomainError(ErrorCode.NotFound, `finding ${id} not found`);
    if (finding.status !== 'open')
      throw new DomainError(ErrorCode.AlreadyDone, 'the finding was answered already', [
        { field: 'reasons', message: 'social-assistance:findings.errors.answered' },
      ]);
    return finding;
  }

  private async resolve(
    em: import('typeorm').EntityManager,
    who: Resolver,
    finding: SocialAssistanceAwardFinding,
    status: 'stopped' | 'dismissed',
    reasons: string,
    kind: string,
    extra: Record<string, string>,
  ): Promise<void> {
    const now = this.clock.now();
    await em.update(SocialAssistanceAwardFinding, finding.id, {
      status,
      resolvedBy: who.accountId,
      resolvedAt: now,
      resolution: reasons,
    });
    if (finding.taskId)
      await em.update(
        Task,
        { id: finding.taskId, status: In(['open', 'claimed']) },
        {
          status: 'completed',
          completedBy: who.accountId,
          completedAt: now,
          decision: { outcome: status, reason: reasons, ...extra },
        },
      );
    await em.query(
      `INSERT INTO timeline_events (municipality_id, case_id, key, kind, actor, data, at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) ON CONFLICT (case_id, key) DO NOTHING`,
      [
        finding.municipalityId,
        finding.caseId,
        `${kind}:${finding.id}`,
        kind,
        who.accountId,
        JSON.stringify({ findingId: finding.id, finding: finding.kind, reason: reasons, ...extra }),
        now,
      ],
    );
  }

  private async withAwards(
    em: import('typeorm').EntityManager,
    findings: SocialAssistanceAwardFinding[],
  ): Promise<FindingRow[]> {
    if (!findings.length) return [];
    const awards = await em.find(SocialAssistanceAward, {
      where: { id: In([...new Set(findings.map((f) => f.awardId))]) },
    });
    const numbers = await em.query<{ id: string; number: string }[]>(
      `SELECT id, number FROM cases WHERE id = ANY($1::uuid[])`,
      [[...new Set(findings.map((f) => f.caseId))]],
    );
    const byId = new Map(awards.map((a) => [a.id, a]));
    const numberOf = new Map(numbers.map((n) => [n.id, n.number]));
    return findings
      .filter((f) => byId.has(f.awardId))
      .map((f) => ({
        finding: f,
        award: byId.get(f.awardId)!,
        caseNumber: numberOf.get(f.caseId) ?? '',
      }));
  }
}

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim().slice(0, REASONS_MAX) : '';
}
