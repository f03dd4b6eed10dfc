import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb } from '../../platform/tenancy/tenant-db';
import { Alert, type AlertSeverity } from './alert.entity';

export interface RaiseAlert {
  municipalityId: string;
  kind: string;
  severity: AlertSeverity;
  caseId: string | null;
  subjectType: string;
  subjectId: string;
  messageKey: string;
  params: Record<string, string | number>;
  dedupeKey: string;
}

/** Who manages a municipality, to be e-mailed about alerts (the accounts/roles module implements it). */
export interface ManagerDirectory {
  managers(em: EntityManager, municipalityId: string): Promise<{ email: string; lang: string }[]>;
}
export const MANAGER_DIRECTORY = Symbol('MANAGER_DIRECTORY');

/** Something a manager must see; raised in the caller's transaction, once per dedupe key. */
@Injectable()
export class AlertService {
  constructor(
    private readonly tenantDb: TenantDb,
    @Inject(MANAGER_DIRECTORY) readonly managerDirectory: ManagerDirectory,
  ) {}

  /** Returns the alert and whether this call created it (false when it was raised before). */
  async raise(em: EntityManager, a: RaiseAlert): Promise<{ alert: Alert; created: boolean }> {
    const res = await em
      .createQueryBuilder()
      .insert()
      .into(Alert)
      .values(a)
      .orIgnore()
      .returning('id')
      .execute();
    const created = res.raw.length > 0;
    const alert = await em
      .getRepository(Alert)
      .findOneByOrFail({ municipalityId: a.municipalityId, dedupeKey: a.dedupeKey });
    return { alert, created };
  }

  list(municipalityId: string, opts: { open?: boolean } = {}): Promise<Alert[]> {
    return this.tenantDb.run(municipalityId, (em) => {
      const qb = em.getRepository(Alert).createQueryBuilder('a').orderBy('a.created_at', 'DESC');
      if (opts.open) qb.where('a.acknowledged_at IS NULL');
      return qb.getMany();
    });
  }

  acknowledge(municipalityId: string, id: string, by: string): Promise<void> {
    return this.tenantDb.run(municipalityId, async (em) => {
      await em
        .getRepository(Alert)
        .update({ id }, { acknowledgedAt: new Date(), acknowledgedBy: by });
    });
  }
}
