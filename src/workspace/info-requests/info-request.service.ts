import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Case } from '../../cases/case.entity';
import { TimelineEvent } from '../../cases/timeline-event.entity';
import { CalendarService } from '../../deadlines/calendar/calendar.service';
import { localDate } from '../../deadlines/calendar/time-zone';
import { addWorkingDays } from '../../deadlines/calendar/working-days';
import { DeadlinesService } from '../../deadlines/deadlines.service';
import type { DeliveryPath } from '../../../activities/delivery';
import { DELIVERY_PATH } from '../../delivery/delivery.module';
import { asLang } from '../../delivery/translator';
import { I18nService } from '../../platform/i18n/i18n.service';
import { DomainError, ErrorCode, type FieldError } from '../../platform/errors/domain-error';
import { TenantDb } from '../../platform/tenancy/tenant-db';
import { InformationAttachment } from './information-attachment.entity';
import { InformationRequest } from './information-request.entity';
import { applicantOf, isApplicant } from '../applicant';
import { isUuid } from '../../platform/ids';

export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** What applicants may upload with an answer. */
export const UPLOAD_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  maxFiles: 5,
  types: ['application/pdf', 'image/jpeg', 'image/png'] as readonly string[],
};

const notFound = (what: string) => new DomainError(ErrorCode.NotFound, `${what} not found`);

/**
 * Requests for information: staff ask (the case's legal clocks pause), the applicant answers
 * with files (the clocks resume). Every step is on the timeline.
 */
@Injectable()
export class InfoRequestService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly calendars: CalendarService,
    private readonly deadlines: DeadlinesService,
    @Inject(DELIVERY_PATH) private readonly delivery: Pick<DeliveryPath, 'run'>,
    private readonly i18n: I18nService,
  ) {}

  async ask(
    municipalityId: string,
    caseId: string,
    actor: string,
    question: string,
    workingDays: number,
  ): Promise<InformationRequest> {
    const errors: FieldError[] = [];
    const q = (question ?? '').trim();
    if (q.length < 5)
      errors.push({ field: 'question', message: 'workspace:errors.questionRequired' });
    if (q.length > 4000) errors.push({ field: 'question', message: 'workspace:errors.tooLong' });
    if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > 60)
      errors.push({ field: 'workingDays', message: 'workspace:errors.workingDays' });
    if (errors.length) throw DomainError.validation(errors);
    const { timeZone, calendar } = await this.calendars.forMunicipality(municipalityId);
    const now = new Date();
    const answerBy = addWorkingDays(calendar, localDate(now, timeZone), workingDays);
    // The applicant is told through the one delivery path, in the transaction that records the request.
    const req = await this.delivery.run(municipalityId, async (em, notify) => {
      const c = isUuid(caseId) ? await em.findOne(Case, { where: { id: caseId } }) : null;
      if (!c) throw notFound('case');
      if (c.status !== 'open') throw new DomainError(ErrorCode.Conflict, 'case is closed');
      const applicant = await applicantOf(em, c);
      const saved = await em.save(
        em.create(InformationRequest, {
          municipalityId,
          caseId,
          question: q,
          answerBy,
          requestedBy: actor,
        }),
      );
      const vars = { number: c.number, question: q, answerBy };
      const channel = await notify({
        caseId,
        municipalityId,
        key: `info-request:${saved.id}`,
        party: {
          personalCode: applicant.personalCode,
          email: applicant.email,
          name: applicant.name,
          lang: asLang(applicant.lang),
        },
        purpose: 'notice',
        text: (lang) => ({
          subject: this.i18n.t(asLang(lang), 'workspace:notice.infoRequest.subject', vars),
          body: this.i18n.t(asLang(lang), 'workspace:notice.infoRequest.body', vars),
        }),
      });
      await em.insert(TimelineEvent, {
        municipalityId,
        caseId,
        kind: 'info.requested',
        actor,
        data: { requestId: saved.id, answerBy, ...(channel ? { channel } : {}) },
      });
      return saved;
    });
    for (const d of await this.deadlines.listForCase(municipalityId, caseId)) {
      if (d.status === 'running')
        await this.deadlines.pause(municipalityId, d.id, now, `information request ${req.id}`);
    }
    return req;
  }

  /** The applicant's answer: text and/or files within the limits; nothing is stored when any part is invalid. */
  async answer(
    municipalityId: string,
    requestId: string,
    applicantAccountId: string,
    text: string,
    files: UploadedFile[],
  ): Promise<InformationRequest> {
    const answer = (text ?? '').trim();
    const errors: FieldError[] = [];
    if (!answer && files.length === 0)
      errors.push({ field: 'answer', message: 'portal:errors.answerRequired' });
    if (answer.length > 4000) errors.push({ field: 'answer', message: 'portal:errors.tooLong' });
    if (files.length > UPLOAD_LIMITS.maxFiles)
      errors.push({
        field: 'files',
        message: 'portal:errors.tooManyFiles',
        params: { max: UPLOAD_LIMITS.maxFiles },
      });
    for (const f of files) {
      if (!UPLOAD_LIMITS.types.includes(f.mimetype) || !looksLike(f))
        errors.push({
          field: 'files',
          message: 'portal:errors.fileType',
          params: { name: f.originalname },
        });
      if (f.size > UPLOAD_LIMITS.maxBytes)
        errors.push({
          field: 'files',
          message: 'portal:errors.fileSize',
          params: { name: f.originalname, max: '5 MB' },
        });
    }
    if (errors.length) throw DomainError.validation(errors);
    const saved = await this.tenantDb.run(municipalityId, async (em) => {
      const r = isUuid(requestId)
        ? await em.findOne(InformationRequest, {
            where: { id: requestId },
            lock: { mode: 'pessimistic_write' },
          })
        : null;
      const c = r ? await em.findOne(Case, { where: { id: r.caseId } }) : null;
      if (!r || !c || !(await isApplicant(em, c, applicantAccountId)))
        throw notFound('information request');
      if (r.status !== 'open') throw new DomainError(ErrorCode.AlreadyDone, 'already answered');
      r.status = 'answered';
      r.answer = answer || null;
      r.answeredBy = applicantAccountId;
      r.answeredAt = new Date();
      await em.save(r);
      for (const f of files) {
        await em.insert(InformationAttachment, {
          municipalityId,
          requestId: r.id,
          caseId: r.caseId,
          fileName: f.originalname.slice(0, 200),
          mimeType: f.mimetype,
          sizeBytes: f.size,
          sha256: createHash('sha256').update(f.buffer).digest('hex'),
          content: f.buffer,
        });
      }
      await em.insert(TimelineEvent, {
        municipalityId,
        caseId: r.caseId,
        kind: 'info.received',
        actor: applicantAccountId,
        data: { requestId: r.id, files: files.length },
      });
      return r;
    });
    const stillOpen = await this.tenantDb.run(municipalityId, (em) =>
      em.count(InformationRequest, { where: { caseId: saved.caseId, status: 'open' } }),
    );
    if (stillOpen === 0) {
      for (const d of await this.deadlines.listForCase(municipalityId, saved.caseId)) {
        if (d.status === 'paused') await this.deadlines.resume(municipalityId, d.id, new Date());
      }
    }
    return saved;
  }

  /** The applicant's channel (art. 12(1): an activated e-address first); null when they cannot be reached. */
  forCase(municipalityId: string, caseId: string): Promise<InformationRequest[]> {
    return this.tenantDb.run(municipalityId, (em) =>
      em.find(InformationRequest, { where: { caseId }, order: { requestedAt: 'ASC' } }),
    );
  }

  async get(municipalityId: string, requestId: string): Promise<InformationRequest> {
    const r = isUuid(requestId)
      ? await this.tenantDb.run(municipalityId, (em) =>
          em.findOne(InformationRequest, { where: { id: requestId } }),
        )
      : null;
    if (!r) throw notFound('information request');
    return r;
  }

  /** An uploaded file, for staff (any of the case) or the applicant (their own case only). */
  async attachment(
    municipalityId: string,
    id: string,
    applicantAccountId?: string,
  ): Promise<InformationAttachment> {
    const a = isUuid(id)
      ? await this.tenantDb.run(municipalityId, (em) =>
          em.findOne(InformationAttachment, { where: { id } }),
        )
      : null;
    if (!a) throw notFound('attachment');
    if (applicantAccountId) {
      const mine = await this.tenantDb.run(municipalityId, async (em) => {
        const c = await em.findOne(Case, { where: { id: a.caseId } });
        return !!c && (await isApplicant(em, c, applicantAccountId));
      });
      if (!mine) throw notFound('attachment');
    }
    return a;
  }
}

/** The declared type must match the file's first bytes (a renamed executable is not a PDF). */
function looksLike(f: UploadedFile): boolean {
  const b = f.buffer;
  switch (f.mimetype) {
    case 'application/pdf':
      return b.subarray(0, 5).toString('latin1') === '%PDF-';
    case 'image/png':
      return b.length > 8 && b.readUInt32BE(0) === 0x89504e47;
    case 'image/jpeg':
      return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
    default:
      return false;
  }
}
