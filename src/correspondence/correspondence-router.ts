import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { TimelineEvent } from '../cases/timeline-event.entity';
import { compactPersonalCode, formatPersonalCode } from '../persons/personal-code';
import { ProcessRegistry } from '../processes/process-registry';
import { applicantOf } from '../workspace/applicant';
import { IncomingMessage, IncomingMessageFile } from './incoming-message.entity';

/** A case number as Civitas writes it (RES-2026-000001). */
const CASE_NUMBER = /\b[A-Z]{3}-\d{4}-\d{6}\b/g;

export type RoutingOutcome =
  | { status: 'continued'; caseId: string }
  | { status: 'registration'; caseId: string | null; note: string | null };

/**
 * Decides where an incoming message goes, inside the tenant transaction that records it: a reply
 * from a case's party that quotes the case (its number, or the sender reference of a message we
 * sent about it) continues the case's run where the process waits for that party; everything else
 * waits for a caseworker in "New incoming correspondence".
 */
@Injectable()
export class CorrespondenceRouter {
  constructor(private readonly processes: ProcessRegistry) {}

  async route(em: EntityManager, m: IncomingMessage): Promise<RoutingOutcome> {
    const c = await this.quotedCase(em, m);
    if (!c) return { status: 'registration', caseId: null, note: null };
    if (!m.senderCode || !(await this.isParty(em, c, m.senderCode)))
      return { status: 'registration', caseId: c.id, note: 'notParty' };
    const handler = this.processes.incomingReply(c.processKey);
    const files = await em.find(IncomingMessageFile, {
      where: { messageId: m.id },
      order: { fileName: 'ASC' },
    });
    const signal = handler
      ? await handler(em, {
          municipalityId: m.municipalityId,
          caseId: c.id,
          senderCode: m.senderCode,
          text: m.body,
          messageId: m.id,
          receivedAt: m.receivedAt,
          files: files.map((f) => ({
            name: f.fileName,
            mimeType: f.mimeType,
            size: f.sizeBytes,
            content: f.content,
          })),
        })
      : null;
    if (!signal) return { status: 'registration', caseId: c.id, note: 'notWaiting' };
    m.signal = signal;
    await em.insert(TimelineEvent, {
      municipalityId: m.municipalityId,
      caseId: c.id,
      kind: 'correspondence.continued',
      actor: 'e-address',
      data: { messageId: m.id, subject: m.subject.slice(0, 200), files: files.length },
    });
    return { status: 'continued', caseId: c.id };
  }

  /** The first case the message quotes: the references it answers (our sender references, case numbers), then numbers in its subject and text. */
  private async quotedCase(em: EntityManager, m: IncomingMessage): Promise<Case | null> {
    for (const ref of m.references.filter(Boolean)) {
      // Our sender reference is the outbox key itself, or `civ-` + its SHA-256 when longer (senderRefNumber).
      const rows = (await em.query(
        `SELECT case_id FROM outbox_messages
          WHERE municipality_id = $1 AND channel = 'e_address' AND case_id IS NOT NULL
            AND (idempotency_key = $2
                 OR ($2 LIKE 'civ-%' AND 'civ-' || substr(translate(encode(sha256(convert_to(idempotency_key, 'UTF8')), 'base64'), '+/', '-_'), 1, 40) = $2))
          LIMIT 1`,
        [m.municipalityId, ref],
      )) as { case_id: string }[];
      const c = rows[0]?.case_id
        ? await em.findOne(Case, { where: { id: rows[0].case_id } })
        : await em.findOne(Case, { where: { number: ref.trim().toUpperCase() } });
      if (c) return c;
    }
    for (const n of `${m.subject}\n${m.body}`.match(CASE_NUMBER) ?? []) {
      const c = await em.findOne(Case, { where: { number: n } });
      if (c) return c;
    }
    return null;
  }

  private async isParty(em: EntityManager, c: Case, code: string): Promise<boolean> {
    const applicant = await applicantOf(em, c);
    const named = (await this.processes.caseParties(c.processKey)?.(em, c.id)) ?? [];
    return [applicant.personalCode, ...named].some((p) => !!p && canonicalCode(p) === code);
  }
}

/** 010190-12345 for any spelling of a personal code; null when it is none. */
export function canonicalCode(code: string): string | null {
  const digits = compactPersonalCode(code);
  return digits ? formatPersonalCode(digits) : null;
}
