import type { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { addTimelineOnce } from '../case/case.activities';
import type { ReferenceRegistry } from './registry.port';

export interface RegistryCheck {
  found: boolean;
  flags: string[];
  /** True when nothing needs a person's judgement (straight-through processing allowed). */
  clear: boolean;
}

/** Activities of the reference process that are not generic case-file work. */
export function createReferenceActivities(ports: {
  tenantDb: TenantDb;
  registry: ReferenceRegistry;
}) {
  return {
    async checkRegistry(req: {
      caseId: string;
      municipalityId: string;
      subjectRef: string;
    }): Promise<RegistryCheck> {
      const r = await ports.registry.lookup(req.subjectRef);
      const check = { ...r, clear: r.found && r.flags.length === 0 };
      await ports.tenantDb.run(req.municipalityId, (em) =>
        addTimelineOnce(em, {
          ...req,
          key: 'registry.checked',
          kind: 'registry.checked',
          data: { register: 'reference', ...check },
        }),
      );
      return check;
    },
  };
}

export type ReferenceActivities = ReturnType<typeof createReferenceActivities>;
