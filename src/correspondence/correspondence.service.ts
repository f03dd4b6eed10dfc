import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { CaseService } from '../cases/case.service';
import { TimelineEvent } from '../cases/timeline-event.entity';
import { PersonDataReads } from '../persons/person-data-reads';
import { holdsProcess, mayAccessCase } from '../platform/auth/case-access';
import { AuditService } from '../platform/audit/audit.service';
import { DomainError, ErrorCode, type FieldError } from '../platform/errors/domain-error';
import { isUuid } from '../platform/ids';
import { TenantDb } from '../platform/tenancy/tenant-db';
import type { ServiceCatalogueEntry } from '../processes/process-module';
import { validateApplyForm } from '../processes/apply-form';
import { ProcessRegistry } from '../processes/process-registry';
import type { StaffUser } from '../workspace/page-support';
import { IncomingMessage, IncomingMessageFile } from './incoming-message.entity';

type RequestInfo = { requestId?: string | null; ip?: string | null };

const PURPOSE = 'registering incoming correspondence';
const NOTE_MAX = 1000;
const notFound = () => new DomainError(ErrorCode.NotFound, 'incoming message not found');
const field = (name: string, message: string): FieldError => ({ field: name, message });

export interface CorrespondenceRow {
  id: string;
  senderEAddress: string;
  subject: string;
  receivedAt: Date;
  files: number;
  quotedCaseNumber: string | null;
  routingNote: string | null;
}

/**
 * "New incoming correspondence": e-address messages no case took, for caseworkers to attach to a
 * case, open a case from, or file as needing none. Every view of a message (sender, text, files)
 * is recorded as a read of the sender's data; each registration is one conditional update, so
 * two caseworkers cannot both handle one message.
 */
@Injectable()
export class CorrespondenceService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly reads: PersonDataReads,
    private readonly audit: AuditService,
    private readonly cases: CaseService,
    private readonly processes: ProcessRegistry,
  ) {}

  /** How many messages wait for registration (a number only: no personal data is read). */
  waitingCount(municipalityId: string): Promise<number> {
    return this.tenantDb.run(municipalityId, (em) =>
      em.count(IncomingMessage, { where: { status: 'registration' } }),
    );
  }

  async waiting(user: StaffUser, request: RequestInfo = {}): Promise<CorrespondenceRow[]> {
    const rows = await this.tenantDb.run(user.municipalityId, async (em) => {
      const list = await em.find(IncomingMessage, {
        where: { status: 'registration' },
        order: { receivedAt: 'ASC', id: 'ASC' },
        take: 200,
      });
      const counts = (await em.query(
        `SELECT message_id, count(*)::int AS n FROM incoming_message_files WHERE municipality_id = $1 AND message_id = ANY($2::uuid[]) GROUP BY message_id`,
        [user.municipalityId, list.map((m) => m.id)],
      )) as { message_id: string; n: number }[];
      const numbers = await this.caseNumbers(
        em,
        list.map((m) => m.caseId),
      );
      const n = new Map(counts.map((c) => [c.message_id, c.n]));
      return list.map((m) => ({ m, files: n.get(m.id) ?? 0, number: numbers.get(m.caseId ?? '') }));
    });
    await this.reads.record(
      {
        municipalityId: user.municipalityId,
        actor: actorOf(user),
        action: 'correspondence.list',
        subject: { type: 'correspondence', id: 'registration' },
        purpose: PURPOSE,
        ...request,
        details: { messages: rows.length },
      },
      rows.map((r) => r.m.senderCode).filter((c): c is string => !!c),
    );
    return rows.map(({ m, files, number }) => ({
      id: m.id,
      senderEAddress: m.senderEAddress,
      subject: m.subject,
      receivedAt: m.receivedAt,
      files,
      quotedCaseNumber: number ?? null,
      routingNote: m.routingNote,
    }));
  }

  /** One message with its files (without their bytes); the read is recorded before anything is shown. */
  async read(user: StaffUser, id: string, request: RequestInfo = {}) {
    const found = await this.tenantDb.run(user.municipalityId, async (em) => {
      const m = isUuid(id) ? await em.findOne(IncomingMessage, { where: { id } }) : null;
      if (!m) throw notFound();
      const files = await em.find(IncomingMessageFile, {
        where: { messageId: m.id },
        select: ['id', 'fileName', 'mimeType', 'sizeBytes', 'sha256'],
        order: { fileName: 'ASC' },
      });
      const number = (await this.caseNumbers(em, [m.caseId])).get(m.caseId ?? '') ?? null;
      return { message: m, files, caseNumber: number };
    });
    await this.recordRead(user, found.message, 'correspondence.read', {}, request);
    return found;
  }

  /** A file's bytes; recorded as a read of the sender's data. */
  async file(
    user: StaffUser,
    id: string,
    fileId: string,
    request: RequestInfo = {},
  ): Promise<IncomingMessageFile> {
    const { m, f } = await this.tenantDb.run(user.municipalityId, async (em) => {
      const f =
        isUuid(fileId) && isUuid(id)
          ? await em.findOne(IncomingMessageFile, { where: { id: fileId, messageId: id } })
          : null;
      const m = f ? await em.findOne(IncomingMessage, { where: { id } }) : null;
      if (!f || !m) throw notFound();
      return { m, f };
    });
    await this.recordRead(
      user,
      m,
      'correspondence.file_read',
      { file: f.id, fileName: f.fileName },
      request,
    );
    return f;
  }

  /** Services a caseworker may open a case of from a message: the catalogue entries with a form staff can fill here. */
  openable(user: StaffUser): ServiceCatalogueEntry[] {
    return this.processes
      .services()
      .filter((s) => s.applyForm && holdsProcess(user.grants ?? [], s.key));
  }

  /** Adds the message to an existing case (by its number) the caseworker may handle. */
  async attach(user: StaffUser, id: string, caseNumber: string, note: string): Promise<Case> {
    const number = (caseNumber ?? '').trim().toUpperCase();
    const errors: FieldError[] = [];
    if (!number) errors.push(field('caseNumber', 'correspondence:errors.caseNumberRequired'));
    if ((note ?? '').length > NOTE_MAX) errors.push(field('note', 'correspondence:errors.tooLong'));
    if (errors.length) throw DomainError.validation(errors);
    return this.tenantDb.run(user.municipalityId, async (em) => {
      const c = number.length <= 40 ? await em.findOne(Case, { where: { number } }) : null;
      if (!c || !mayAccessCase(user, c, 'handle'))
        throw DomainError.validation([field('caseNumber', 'correspondence:errors.caseUnknown')]);
      await this.handle(em, user, id, { status: 'attached', caseId: c.id, note });
      await em.insert(TimelineEvent, {
        municipalityId: user.municipalityId,
        caseId: c.id,
        kind: 'correspondence.attached',
        actor: user.accountId,
        data: { messageId: id },
      });
      return c;
    });
  }

  /** Opens a case of the chosen process through the normal case start, the sender as applicant. */
  async open(
    user: StaffUser,
    id: string,
    processKey: string,
    body: Record<string, unknown>,
  ): Promise<Case> {
    const service = this.openable(user).find((s) => s.key === processKey);
    if (!service?.applyForm)
      throw DomainError.validation([field('processKey', 'correspondence:errors.processRequired')]);
    const values = validateApplyForm(service.applyForm, body);
    const { title, input } = service.applyForm.toCase(values);
    return this.tenantDb.run(user.municipalityId, async (em) => {
      const m = await this.handle(em, user, id, { status: 'opened', caseId: null, note: '' });
      const c = await this.cases.open(
        {
          municipalityId: user.municipalityId,
          processKey: service.key,
          title,
          applicantRef: m.senderCode,
          input,
          actor: user.accountId,
        },
        em,
      );
      await em.update(IncomingMessage, { id: m.id }, { caseId: c.id });
      await em.insert(TimelineEvent, {
        municipalityId: user.municipalityId,
        caseId: c.id,
        kind: 'correspondence.attached',
        actor: user.accountId,
        data: { messageId: m.id },
      });
      return c;
    });
  }

  /** Files the message as needing no case (a thank-you, spam, a question answered by phone). */
  async fileAway(user: StaffUser, id: string, note: string): Promise<void> {
    if ((note ?? '').length > NOTE_MAX)
      throw DomainError.validation([field('note', 'correspondence:errors.tooLong')]);
    await this.tenantDb.run(user.municipalityId, (em) =>
      this.handle(em, user, id, { status: 'filed', caseId: null, note }),
    );
  }

  /** Takes the message out of registration: refused (and nothing changes) unless it still waits there. */
  private async handle(
    em: EntityManager,
    user: StaffUser,
    id: string,
    to: { status: 'attached' | 'opened' | 'filed'; caseId: string | null; note: string },
  ): Promise<IncomingMessage> {
    const m = isUuid(id)
      ? await em.findOne(IncomingMessage, { where: { id }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!m) throw notFound();
    if (m.status !== 'registration')
      throw new DomainError(ErrorCode.AlreadyDone, 'the message is already registered');
    await em.update(
      IncomingMessage,
      { id },
      {
        status: to.status,
        caseId: to.caseId ?? m.caseId,
        handledBy: user.accountId,
        handledAt: new Date(),
        handlingNote: to.note?.trim() || null,
      },
    );
    await this.audit.record(
      {
        municipalityId: user.municipalityId,
        actor: actorOf(user),
        action: `correspondence.${to.status}`,
        subject: { type: 'incoming_message', id },
        ...(to.caseId ? { details: { caseId: to.caseId } } : {}),
      },
      em,
    );
    return { ...m, status: to.status };
  }

  private async recordRead(
    user: StaffUser,
    m: IncomingMessage,
    action: string,
    details: Record<string, unknown>,
    request: RequestInfo,
  ): Promise<void> {
    await this.reads.record(
      {
        municipalityId: user.municipalityId,
        actor: actorOf(user),
        action,
        subject: { type: 'incoming_message', id: m.id },
        purpose: PURPOSE,
        ...request,
        details,
      },
      m.senderCode ? [m.senderCode] : [],
    );
  }

  private async caseNumbers(
    em: EntityManager,
    ids: (string | null)[],
  ): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((x): x is string => !!x))];
    if (!wanted.length) return new Map();
    const rows = await em.find(Case, { where: { id: In(wanted) }, select: ['id', 'number'] });
    return new Map(rows.map((c) => [c.id, c.number]));
  }
}

const actorOf = (user: StaffUser) => ({
  accountId: user.accountId,
  display: user.displayName,
  role: user.roles[0] ?? null,
});
