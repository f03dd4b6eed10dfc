import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, type FieldError } from '../errors/domain-error';
import { TenantDb } from '../tenancy/tenant-db';
import { ChainAppender } from './audit-appender';
import {
  appendEntries,
  appendEntry,
  verifyChain,
  type AppendFields,
  type ChainReport,
} from './audit-chain';
import { isUuid } from '../ids';

export interface AuditActor {
  /** NULL for the system itself (timers, workflows) or an unknown caller (failed sign-in). */
  accountId: string | null;
  display: string;
  role?: string | null;
}

export interface AuditEntryInput {
  /** NULL for platform events; otherwise the tenant whose chain the entry joins. */
  municipalityId: string | null;
  actor: AuditActor;
  action: string;
  subject?: { type: string; id: string } | null;
  personId?: string | null;
  purpose?: string | null;
  requestId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditReadInput {
  municipalityId: string;
  actor: AuditActor;
  personId: string;
  subject: { type: string; id: string };
  purpose: string;
  /** Defaults to `<subject.type>.read`. */
  action?: string;
  requestId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export interface RecordedAudit {
  seq: string;
  at: Date;
  hash: string;
}

/** A resident sees when and why their data was consulted, not by whom among the staff. */
export interface Consultation {
  at: string;
  action: string;
  purpose: string;
}

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const PURPOSE_MAX = 500;
/** Entries per statement when one read names many persons (a list page, an export batch). */
export const READS_PER_STATEMENT = 500;
const isRead = (action: string): boolean => action.endsWith('.read');

function normalise(e: AuditEntryInput): AppendFields {
  const errors: FieldError[] = [];
  const uuidOrNull = (field: string, v: string | null | undefined): string | null => {
    if (v === null || v === undefined) return null;
    if (!isUuid(v)) errors.push({ field, message: 'audit:errors.uuid' });
    return v.toLowerCase();
  };
  const purpose = e.purpose?.trim() || null;
  if (!ACTION.test(e.action)) errors.push({ field: 'action', message: 'audit:errors.action' });
  if (!e.actor.display.trim())
    errors.push({ field: 'actor.display', message: 'audit:errors.actorDisplay' });
  if (isRead(e.action) && !purpose)
    errors.push({ field: 'purpose', message: 'audit:errors.purposeRequired' });
  if (purpose && purpose.length > PURPOSE_MAX) {
    errors.push({
      field: 'purpose',
      message: 'audit:errors.purposeTooLong',
      params: { max: PURPOSE_MAX },
    });
  }
  if (e.ip && isIP(e.ip) === 0) errors.push({ field: 'ip', message: 'audit:errors.ip' });
  const fields: AppendFields = {
    municipalityId: uuidOrNull('municipalityId', e.municipalityId),
    actorAccountId: uuidOrNull('actor.accountId', e.actor.accountId),
    actorDisplay: e.actor.display.trim(),
    actorRole: e.actor.role ?? null,
    action: e.action,
    subjectType: e.subject?.type ?? null,
    subjectId: e.subject?.id ?? null,
    personId: uuidOrNull('personId', e.personId),
    purpose,
    requestId: e.requestId ?? null,
    ip: e.ip ?? null,
    // Round-trip through JSON so what we hash is what jsonb gives back (no undefined, no Dates).
    details: JSON.parse(JSON.stringify(e.details ?? {})) as Record<string, unknown>,
  };
  if (errors.length) throw DomainError.validation(errors);
  return fields;
}

@Injectable()
export class AuditService {
  private readonly appender: ChainAppender;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenantDb: TenantDb,
  ) {
    this.appender = new ChainAppender(dataSource);
  }

  /**
   * Appends an entry. With `em` it joins the caller's transaction (which must be the entry's
   * tenant's TenantDb.run, or a plain transaction for platform events) and commits or rolls back
   * with it; without, it commits on its own (batched with the chain's other such entries of the
   * moment), which holds the chain's lock for the shortest time: prefer it for reads, recorded
   * once the data has been read.
   */
  async record(entry: AuditEntryInput, em?: EntityManager): Promise<RecordedAudit> {
    const fields = normalise(entry);
    const done = await (em ? appendEntry(em, fields) : this.appender.append(fields));
    return { seq: done.seq, at: done.at, hash: done.hash };
  }

  /** Records a read of a person's data; refuses (validation error on `purpose`) without a purpose. */
  recordRead(read: AuditReadInput, em?: EntityManager): Promise<RecordedAudit> {
    return this.record(
      {
        municipalityId: read.municipalityId,
        actor: read.actor,
        action: read.action ?? `${read.subject.type}.read`,
        subject: read.subject,
        personId: read.personId,
        purpose: read.purpose,
        requestId: read.requestId,
        ip: read.ip,
        details: read.details,
      },
      em,
    );
  }

  /**
   * One read of many persons' data (a list page, an export batch, a case file with several
   * parties): one entry per person, so each person's report shows it, appended in statements of
   * at most READS_PER_STATEMENT entries (each its own commit, the chain's lock held only inside
   * PostgreSQL). All or none are validated before anything is written.
   */
  async recordReads(reads: AuditReadInput[]): Promise<void> {
    const fields = reads.map((read) =>
      normalise({
        ...read,
        action: read.action ?? `${read.subject.type}.read`,
        subject: read.subject,
      }),
    );
    const query = (sql: string, params: unknown[]) => this.dataSource.query(sql, params);
    for (const chain of new Set(fields.map((f) => f.municipalityId))) {
      const mine = fields.filter((f) => f.municipalityId === chain);
      for (let i = 0; i < mine.length; i += READS_PER_STATEMENT)
        await appendEntries(query, mine.slice(i, i + READS_PER_STATEMENT), true);
    }
  }

  /**
   * When and why others read this person's data in this municipality, newest first. The
   * resident's own look at this report is recorded too but not listed back to them.
   */
  async consultations(
    municipalityId: string,
    personId: string,
    viewer: AuditActor,
    request: { requestId?: string | null; ip?: string | null } = {},
  ): Promise<Consultation[]> {
    if (!isUuid(personId))
      throw DomainError.validation([{ field: 'personId', message: 'audit:errors.uuid' }]);
    personId = personId.toLowerCase();
    return this.tenantDb.run(municipalityId, async (em) => {
      const rows = (await em.query(
        `SELECT at, action, purpose FROM audit_log
          WHERE municipality_id = $1 AND person_id = $2 AND action LIKE '%.read' AND action <> 'consultations.read'
          ORDER BY at DESC, seq DESC`,
        [municipalityId, personId],
      )) as { at: Date; action: string; purpose: string }[];
      await this.recordRead(
        {
          municipalityId,
          actor: viewer,
          personId,
          subject: { type: 'consultations', id: personId },
          purpose: 'data subject access',
          ...request,
        },
        em,
      );
      return rows.map((r) => ({ at: r.at.toISOString(), action: r.action, purpose: r.purpose }));
    });
  }

  /** Checks one chain: a municipality's, or the platform chain when `municipalityId` is null. */
  verify(municipalityId: string | null): Promise<ChainReport> {
    return verifyChain(this.dataSource, municipalityId);
  }
}
