import { Inject, Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { Case } from '../../../cases/case.entity';
import { CaseService } from '../../../cases/case.service';
import { CLOCK, type Clock } from '../../../platform/clock/clock';
import { DomainError, ErrorCode, type FieldError } from '../../../platform/errors/domain-error';
import { TenantDb } from '../../../platform/tenancy/tenant-db';
import type { IncomingReplyHandler } from '../../../processes/process-module';
import { informationSupplied } from '../../../../workflows/social-assistance/events';
import {
  SocialAssistanceApplication,
  SocialAssistanceBill,
} from '../application/application.entity';
import {
  billFileErrors,
  billRow,
  isBillFile,
  type UploadedBill,
} from '../application/application.service';
import { BILL_MAX_BYTES } from '../application/application.types';
import { SocialAssistanceInformationRequest } from './assessment.entity';

/** What the resident's case page shows besides the application: the case, open requests, documents, payments. */
export interface ResidentCaseStatus {
  status: string;
  stage: string | null;
  outcome: string | null;
  openRequest: { round: number; question: string; answerBy: string } | null;
  /** The requests answered, with what the resident sent (the text and the files). */
  answered: {
    round: number;
    question: string;
    answer: string;
    files: { id: string; fileName: string }[];
  }[];
  documents: { id: string; registrationNumber: string }[];
  payments: { key: string; dueMonth: string; amountCents: number; status: string }[];
}

/** The open request for information of a case waiting for one (locked), else null. */
async function openRequest(
  em: EntityManager,
  caseId: string,
): Promise<SocialAssistanceInformationRequest | null> {
  const c = await em.findOne(Case, { where: { id: caseId } });
  if (!c || c.status !== 'open' || c.stage !== 'awaiting-information') return null;
  return em.findOne(SocialAssistanceInformationRequest, {
    where: { caseId, answeredAt: IsNull() },
    order: { round: 'DESC' },
    lock: { mode: 'pessimistic_write' },
  });
}

/**
 * The resident's side of a social-assistance case: what the status page shows, and the answer to
 * a request for information (from the page, or a reply by e-address), which continues the run.
 */
@Injectable()
export class SocialAssistanceCaseService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly cases: CaseService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async status(municipalityId: string, caseId: string): Promise<ResidentCaseStatus> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const c = await em.findOne(Case, { where: { id: caseId } });
      if (!c) throw new DomainError(ErrorCode.NotFound, 'case not found');
      const requests = await em.find(SocialAssistanceInformationRequest, {
        where: { caseId },
        order: { round: 'ASC' },
      });
      const req = requests.at(-1) ?? null;
      const files = await answerFiles(em, caseId);
      const documents: { id: string; registration_number: string }[] = await em.query(
        `SELECT id, registration_number FROM documents WHERE case_id = $1 AND template_key = 'social-assistance/decision' ORDER BY issued_at`,
        [caseId],
      );
      const payments: { key: string; due_month: string; amount_cents: number; status: string }[] =
        await em.query(
          `SELECT key, due_month, amount_cents, status FROM payment_lines WHERE case_id = $1 ORDER BY due_month, key`,
          [caseId],
        );
      return {
        status: c.status,
        stage: c.stage,
        outcome: c.outcome,
        openRequest:
          req && !req.answeredAt && c.stage === 'awaiting-information'
            ? { round: req.round, question: req.question, answerBy: req.answerBy }
            : null,
        answered: requests
          .filter((r) => r.answeredAt)
          .map((r) => ({
            round: r.round,
            question: r.question,
            answer: r.answer ?? '',
            files: files
              .filter((f) => f.requestId === r.id)
              .map((f) => ({ id: f.id, fileName: f.fileName })),
          })),
        documents: documents.map((d) => ({ id: d.id, registrationNumber: d.registration_number })),
        payments: payments.map((p) => ({
          key: p.key,
          dueMonth: p.due_month,
          amountCents: p.amount_cents,
          status: p.status,
        })),
      };
    });
  }

  /**
   * The applicant answers the open request with a text, files (PDF, JPEG, PNG as the bills), or
   * both; the files are stored with the answer in one transaction, then the run continues (the
   * decision clock restarts). A refused answer stores nothing.
   */
  async answer(
    municipalityId: string,
    caseId: string,
    applicantCode: string,
    accountId: string,
    text: string,
    files: UploadedBill[] = [],
  ): Promise<void> {
    const answer = text.trim();
    const errors = answerErrors(answer, files);
    if (errors.length) throw DomainError.validation(errors);
    const at = this.clock.now();
    const round = await this.tenantDb.run(municipalityId, async (em) => {
      const app = await em.findOne(SocialAssistanceApplication, {
        where: { caseId, applicantCode },
      });
      if (!app) throw new DomainError(ErrorCode.NotFound, 'case not found');
      const req = await openRequest(em, caseId);
      if (!req || req.answeredAt)
        throw new DomainError(ErrorCode.Conflict, 'no information was requested');
      await em.update(
        SocialAssistanceInformationRequest,
        { id: req.id },
        { answer, answeredAt: at },
      );
      await storeAnswerFiles(em, app, req, files, accountId);
      return req.round;
    });
    await this.cases.signal(
      accountId,
      municipalityId,
      caseId,
      informationSupplied.for(String(round)).topic,
      { round, answeredAt: at.toISOString(), via: 'portal' },
      `information:${round}`,
    );
  }
}

const E = 'social-assistance:errors';

/** Field errors of an answer: neither text nor file, a text too long, a file of another type or too large. */
export function answerErrors(answer: string, files: UploadedBill[]): FieldError[] {
  const errors: FieldError[] = [];
  if (!answer && files.length === 0) errors.push({ field: 'answer', message: `${E}.answerEmpty` });
  if (answer.length > 4000) errors.push({ field: 'answer', message: `${E}.answer` });
  errors.push(
    ...billFileErrors(files, 'files', {
      type: `${E}.answerFileType`,
      tooLarge: `${E}.answerFileTooLarge`,
    }),
  );
  return errors;
}

async function storeAnswerFiles(
  em: EntityManager,
  app: SocialAssistanceApplication,
  req: SocialAssistanceInformationRequest,
  files: UploadedBill[],
  uploadedBy: string | null,
): Promise<void> {
  if (files.length === 0) return;
  await em.save(
    files.map((f) =>
      billRow(em, f, {
        municipalityId: app.municipalityId,
        applicationId: app.id,
        costKind: null,
        requestId: req.id,
        uploadedBy,
      }),
    ),
  );
}

/** The files sent with answers to the case's requests (no content). */
export function answerFiles(
  em: EntityManager,
  caseId: string,
): Promise<
  Pick<SocialAssistanceBill, 'id' | 'applicationId' | 'requestId' | 'fileName' | 'sizeBytes'>[]
> {
  return em
    .createQueryBuilder(SocialAssistanceBill, 'b')
    .innerJoin(SocialAssistanceInformationRequest, 'r', 'r.id = b.requestId')
    .select(['b.id', 'b.applicationId', 'b.requestId', 'b.fileName', 'b.sizeBytes'])
    .where('r.caseId = :caseId', { caseId })
    .orderBy('b.createdAt', 'ASC')
    .getMany();
}

/**
 * A reply by e-address from the applicant while the case waits for information: its text is the
 * answer and its files are stored with it as the case page stores them (PDF, JPEG, PNG within the
 * size; any other file is named in the answer, not stored: the incoming message keeps it).
 */
export const socialAssistanceReply: IncomingReplyHandler = async (em, reply) => {
  const app = await em.findOne(SocialAssistanceApplication, { where: { caseId: reply.caseId } });
  if (!app || app.applicantCode !== reply.senderCode) return null;
  const req = await openRequest(em, reply.caseId);
  if (!req || req.answeredAt) return null;
  const files: UploadedBill[] = reply.files.map((f) => ({
    originalname: f.name,
    mimetype: f.mimeType,
    size: f.size,
    buffer: f.content,
  }));
  const kept = files.filter((f) => isBillFile(f) && f.size <= BILL_MAX_BYTES);
  const left = files.filter((f) => !kept.includes(f)).map((f) => f.originalname);
  await em.update(
    SocialAssistanceInformationRequest,
    { id: req.id },
    {
      answer: `${reply.text.trim()}${left.length ? `\n[${left.join(', ')}]` : ''}`.slice(0, 4000),
      answeredAt: reply.receivedAt,
    },
  );
  await storeAnswerFiles(em, app, req, kept, null);
  return {
    topic: informationSupplied.for(String(req.round)).topic,
    payload: { round: req.round, answeredAt: reply.receivedAt.toISOString(), via: 'e-address' },
  };
};
