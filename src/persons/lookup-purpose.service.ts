import { Injectable } from '@nestjs/common';
import { CaseAccessService } from '../cases/case-access.service';
import type { FieldError } from '../platform/errors/domain-error';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { ProcessRegistry } from '../processes/process-registry';
import { checkPurposeInput, type LookupPurposeCode, type PurposeInput } from './lookup-purpose';
import type { Viewer } from './viewer';
import { isUuid } from '../platform/ids';

/** The purpose of a look-up once checked: a code of the list, and the case it is for (when it needs one). */
export interface LookupPurpose {
  code: LookupPurposeCode;
  case: { id: string; number: string } | null;
}

const CASE_NUMBER_MAX = 64;

/** Checks a look-up's purpose against the list and, for a case purpose, the case against the case-file policy (issue 12 M7). */
@Injectable()
export class LookupPurposeService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly caseAccess: CaseAccessService,
    private readonly registry: ProcessRegistry,
  ) {}

  /**
   * A purpose from the list, and for one that needs it a case of the viewer's municipality that
   * they may read (the case-file policy); anything else is a field error, whether or not such a
   * case exists elsewhere.
   */
  async check(
    viewer: Viewer,
    input: PurposeInput,
  ): Promise<{ ok: true; value: LookupPurpose } | { ok: false; errors: FieldError[] }> {
    const checked = checkPurposeInput(input, this.registry.lookupPurposes());
    if (!checked.ok) return checked;
    const ref = checked.value.caseRef;
    if (ref === null) return { ok: true, value: { code: checked.value.code, case: null } };
    const unknown = {
      ok: false as const,
      errors: [{ field: 'caseNumber', message: 'persons:purpose.caseUnknown' }],
    };
    if (ref.length > CASE_NUMBER_MAX) return unknown;
    const rows = (await this.tenantDb.run(viewer.municipalityId, (em) =>
      em.query(
        `SELECT id, number FROM cases WHERE municipality_id = $1 AND ${isUuid(ref) ? 'id = $2::uuid' : 'number = upper($2)'}`,
        [viewer.municipalityId, ref],
      ),
    )) as { id: string; number: string }[];
    const found = rows[0];
    if (!found) return unknown;
    const actor = {
      accountId: viewer.accountId,
      municipalityId: viewer.municipalityId,
      grants: viewer.grants ?? grantsOfRoles(viewer.roles),
    };
    if (!(await this.caseAccess.may(actor, found.id, 'read'))) return unknown;
    return {
      ok: true,
      value: { code: checked.value.code, case: { id: found.id, number: found.number } },
    };
  }
}

/** For internal callers without platform grants: the viewer's role strings as grants. */
function grantsOfRoles(roles: readonly string[]): { role: string; processKey: string | null }[] {
  return roles.map((r) => {
    if (r === 'admin') return { role: 'administrator', processKey: null };
    const [role, scope] = r.split(':');
    return { role, processKey: scope === 'residence' ? 'residence-declaration' : (scope ?? null) };
  });
}
