import type { EntityManager } from 'typeorm';
import {
  isReservedTopic,
  type LinkCaseActivityRequest,
  type SignalCaseRequest,
  type SignalCaseResult,
} from '../../workflows/kit/links';
import { isLinked, linkCases } from '../../src/cases/case-links';
import { Case } from '../../src/cases/case.entity';
import type { ProcessEngine } from '../../src/engine/process-engine';
import { DomainError, ErrorCode } from '../../src/platform/errors/domain-error';
import type { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { addTimelineOnce } from './case.activities';

export interface LinkActivityPorts {
  tenantDb: TenantDb;
  /**
   * The engine port, resolved at call time: the engine is built with the activity map, so the
   * activities reach it late. On a Temporal worker it is the Temporal client.
   */
  engine: () => ProcessEngine;
}

const closed = async (em: EntityManager, req: SignalCaseRequest): Promise<SignalCaseResult> => {
  await addTimelineOnce(em, {
    caseId: req.caseId,
    municipalityId: req.municipalityId,
    key: `case.signalled:${req.key}`,
    kind: 'case.signalled',
    data: { targetCaseId: req.targetCaseId, topic: req.topic, delivered: false },
  });
  return { delivered: false, reason: 'target-closed' };
};

/** linkCase and signalCase (workflows/kit/links.ts). Both idempotent, keyed by case and step. */
export function createLinkActivities(ports: LinkActivityPorts) {
  return {
    async linkCase(req: LinkCaseActivityRequest): Promise<boolean> {
      return ports.tenantDb.run(req.municipalityId, (em) =>
        linkCases(em, {
          municipalityId: req.municipalityId,
          fromCaseId: req.caseId,
          toCaseId: req.toCaseId,
          type: req.type,
          actor: 'system',
        }),
      );
    },

    /**
     * Sends `topic` to the run of a case linked to the sender, in the sender's municipality (RLS
     * hides any other: not found). The idempotency key is the sender's case and `key`, so a
     * repeated attempt leaves one message. A target whose run has not started yet is retried
     * (retryable error); a closed target is recorded and reported, not signalled.
     */
    async signalCase(req: SignalCaseRequest): Promise<SignalCaseResult> {
      if (isReservedTopic(req.topic))
        throw new DomainError(ErrorCode.Forbidden, 'task completions are sent by the task service');
      const target = await ports.tenantDb.run(req.municipalityId, async (em) => {
        if (!(await isLinked(em, req.caseId, req.targetCaseId)))
          throw new DomainError(
            ErrorCode.Forbidden,
            `case ${req.targetCaseId} is not linked to case ${req.caseId}`,
          );
        const c = await em.findOne(Case, { where: { id: req.targetCaseId } });
        if (!c) throw new DomainError(ErrorCode.NotFound, `case ${req.targetCaseId} not found`);
        return c.status === 'open' ? c : closed(em, req);
      });
      if (!(target instanceof Case)) return target;
      if (!target.runStartedAt)
        throw new DomainError(
          ErrorCode.ExternalUnavailable,
          `the run of case ${target.id} has not started yet`,
        );
      await ports.engine().signal(target.id, req.topic, req.payload, {
        idempotencyKey: `case-signal:${req.caseId}:${req.key}`,
      });
      await ports.tenantDb.run(req.municipalityId, async (em) => {
        await addTimelineOnce(em, {
          caseId: req.caseId,
          municipalityId: req.municipalityId,
          key: `case.signalled:${req.key}`,
          kind: 'case.signalled',
          data: {
            targetCaseId: target.id,
            number: target.number,
            topic: req.topic,
            delivered: true,
          },
        });
        await addTimelineOnce(em, {
          caseId: target.id,
          municipalityId: req.municipalityId,
          key: `case.signal-received:${req.caseId}:${req.key}`,
          kind: 'case.signal-received',
          data: { fromCaseId: req.caseId, topic: req.topic },
        });
      });
      return { delivered: true };
    },
  };
}
