import type { EntityManager } from 'typeorm';
import { Case } from '../../cases/case.entity';
import { TimelineEvent } from '../../cases/timeline-event.entity';
import type { ProcessRequest } from '../../processes/process-module';

/** "Ask the applicant for documents" rounds of the review: open while the case waits for that round. */
export async function documentRequests(
  em: EntityManager,
  caseId: string,
): Promise<ProcessRequest[]> {
  const c = await em.findOne(Case, { where: { id: caseId }, select: ['id', 'stage', 'status'] });
  const asked = await em.find(TimelineEvent, {
    where: { caseId, kind: 'residence.documents-requested' },
    order: { at: 'ASC' },
  });
  return asked.map((e, i) => {
    const data = e.data as { documents?: string; respondBy?: string };
    const waiting =
      i === asked.length - 1 && c?.status === 'open' && c.stage === 'awaiting-documents';
    return {
      question: data.documents ?? '',
      answerBy: data.respondBy ? data.respondBy.slice(0, 10) : null,
      status: waiting ? 'open' : 'answered',
      requestedAt: e.at,
    };
  });
}
