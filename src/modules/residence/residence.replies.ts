import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Case } from '../../cases/case.entity';
import type { IncomingReply, IncomingReplyHandler } from '../../processes/process-module';
import {
  annulmentUpdate,
  documentsSupplied,
} from '../../../workflows/residence-declaration/events';
import {
  ResidenceAnnulment,
  ResidenceAttachment,
  ResidenceDeclaration,
} from './residence-declaration.entity';
import { fileTypeProblem } from './residence.service';
import { ATTACHMENT_MAX_BYTES } from './residence.types';

/** Who a reply by e-address is recorded as (the uploads' `uploadedBy`, the signal's actor). */
const BY_E_ADDRESS = 'e-address';

/** The files as the upload form's rules accept them (PDF, JPEG, PNG by content; size); else null. */
function acceptableFiles(reply: IncomingReply): IncomingReply['files'] | null {
  if (reply.files.length === 0) return null;
  for (const f of reply.files) {
    const upload = { originalname: f.name, mimetype: f.mimeType, size: f.size, buffer: f.content };
    if (fileTypeProblem(upload) || f.size > ATTACHMENT_MAX_BYTES) return null;
  }
  return reply.files;
}

async function store(
  em: EntityManager,
  reply: IncomingReply,
  files: IncomingReply['files'],
): Promise<string[]> {
  const ids: string[] = [];
  for (const f of files) {
    const row = await em.save(
      em.create(ResidenceAttachment, {
        municipalityId: reply.municipalityId,
        caseId: reply.caseId,
        fileName: f.name.slice(0, 200),
        mimeType: f.mimeType,
        sizeBytes: f.size,
        sha256: createHash('sha256').update(f.content).digest('hex'),
        content: f.content,
        uploadedBy: BY_E_ADDRESS,
      }),
    );
    ids.push(row.id);
  }
  return ids;
}

/** The applicant sends the requested documents while the declaration waits for them. */
const declarationReply: IncomingReplyHandler = async (em, reply) => {
  const d = await em.findOne(ResidenceDeclaration, { where: { caseId: reply.caseId } });
  const c = await em.findOne(Case, { where: { id: reply.caseId } });
  if (!d || !c || d.applicantCode !== reply.senderCode) return null;
  if (c.status !== 'open' || c.stage !== 'awaiting-documents') return null;
  const files = acceptableFiles(reply);
  if (!files) return null;
  const attachmentIds = await store(em, reply, files);
  return {
    topic: documentsSupplied.topic.topic,
    payload: {
      attachmentIds,
      suppliedBy: BY_E_ADDRESS,
      suppliedAt: reply.receivedAt.toISOString(),
    },
  };
};

/** The person whose declaration may be annulled shows a legal basis while the annulment is open. */
const annulmentReply: IncomingReplyHandler = async (em, reply) => {
  const a = await em.findOne(ResidenceAnnulment, { where: { caseId: reply.caseId } });
  if (!a || a.personCode !== reply.senderCode || a.status !== 'open') return null;
  const files = acceptableFiles(reply);
  if (!files) return null;
  const attachmentIds = await store(em, reply, files);
  return {
    topic: annulmentUpdate.topic.topic,
    payload: {
      kind: 'response',
      attachmentIds,
      note: reply.text.slice(0, 2000),
      at: reply.receivedAt.toISOString(),
    },
  };
};

export const residenceReplies = {
  'residence-declaration': declarationReply,
  'residence-annulment': annulmentReply,
} as const;
