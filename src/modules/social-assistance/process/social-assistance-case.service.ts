import { Inject, Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { Case } from '../../../cases/case.entity';
import { CaseService } from '../../../cases/case.service';
import { CLOCK, type Clock } from '../../../platform/clock/clock';
import { DomainError, ErrorCode } from '../../../platform/errors/domain-error';
import { TenantDb } from '../../../platform/tenancy/tenant-db';
import type { IncomingReplyHandler } from '../../../processes/process-module';
import { informationSupplied } from '../../../../workflows/social-assistance/events';
import { SocialAssistanceApplication } from '../application/application.entity';
import { SocialAssistanceInformationRequest } from './assessment.entity';

/** What the resident's case page shows besides the application: the case, open requests, documents, payments. */
export interface ResidentCaseStatus {
  status: string;
  stage: string | null;
  outcome: string | null;
  openRequest: { round: number; question: string; answerBy: string } | null;
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
      const req = await em.findOne(SocialAssistanceInformationRequest, {
        where: { caseId },
        order: { round: 'DESC' },
      });
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

  /** The applicant answers the open request; the run continues (the decision clock restarts). */
  async answer(
    municipalityId: string,
    caseId: string,
    applicantCode: string,
    accountId: string,
    text: string,
  ): Promise<void> {
    const answer = text.trim();
    if (answer.length < 1 || answer.length > 4000)
      throw DomainError.validation([
        { field: 'answer', message: 'social-assistance:errors.answer' },
      ]);
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

/** A reply by e-address from the applicant while the case waits for information: the answer (its text). */
export const socialAssistanceReply: IncomingReplyHandler = async (em, reply) => {
  const app = await em.findOne(SocialAssistanceApplication, { where: { caseId: reply.caseId } });
  if (!app || app.applicantCode !== reply.senderCode) return null;
  const req = await openRequest(em, reply.caseId);
  if (!req || req.answeredAt) return null;
  const files = reply.files.map((f) => f.name).join(', ');
  await em.update(
    SocialAssistanceInformationRequest,
    { id: req.id },
    {
      answer: `${reply.text}${files ? `\n[${files}]` : ''}`.slice(0, 4000),
      answeredAt: reply.receivedAt,
    },
  );
  return {
    topic: informationSupplied.for(String(req.round)).topic,
    payload: { round: req.round, answeredAt: reply.receivedAt.toISOString(), via: 'e-address' },
  };
};
