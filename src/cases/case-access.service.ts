import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { mayAccessCase, type CaseAction, type CaseActor } from '../platform/auth/case-access';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { ProcessRegistry } from '../processes/process-registry';
import { Case } from './case.entity';
import { isUuid } from '../platform/ids';

/**
 * Loads a case and asks the one policy (mayAccessCase) whether this user may act on it. A refusal
 * is "not found": whether a case exists is not revealed to someone who may not see it.
 */
@Injectable()
export class CaseAccessService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly processes: ProcessRegistry,
  ) {}

  /** The case, when the user may do `action` on it in their active municipality; else NotFound. */
  async require(
    user: CaseActor,
    caseId: string,
    action: CaseAction,
    em?: EntityManager,
  ): Promise<Case> {
    const mid = user.municipalityId;
    if (!mid || !isUuid(caseId)) throw notFound(caseId);
    const check = async (m: EntityManager): Promise<Case> => {
      const c = await m.findOne(Case, { where: { id: caseId } });
      if (!c) throw notFound(caseId);
      const subject = {
        municipalityId: c.municipalityId,
        processKey: c.processKey,
        parties: action === 'party' ? await this.parties(m, c) : [],
      };
      const actor =
        action === 'party' ? { ...user, partyRefs: await this.refsOf(m, user.accountId) } : user;
      if (!mayAccessCase(actor, subject, action)) throw notFound(caseId);
      return c;
    };
    return em ? check(em) : this.tenantDb.run(mid, check);
  }

  /** Like require, as a yes/no (for hiding links). */
  async may(user: CaseActor, caseId: string, action: CaseAction): Promise<boolean> {
    return this.require(user, caseId, action).then(
      () => true,
      (e) => {
        if (e instanceof DomainError && e.code === ErrorCode.NotFound) return false;
        throw e;
      },
    );
  }

  private async parties(em: EntityManager, c: Case): Promise<string[]> {
    const named = (await this.processes.caseParties(c.processKey)?.(em, c.id)) ?? [];
    return [...(c.applicantRef ? [c.applicantRef] : []), ...named];
  }

  /** How cases name the resident: by account (portal e-services) or by personal code (module e-services, the counter). */
  private async refsOf(em: EntityManager, accountId: string): Promise<string[]> {
    if (!isUuid(accountId)) return [];
    const [a] = (await em.query(`SELECT personal_code FROM accounts WHERE id = $1`, [
      accountId,
    ])) as { personal_code: string | null }[];
    return a?.personal_code ? [accountId, a.personal_code] : [accountId];
  }
}

const notFound = (caseId: string) =>
  new DomainError(ErrorCode.NotFound, `case ${caseId.slice(0, 40)} not found`);
