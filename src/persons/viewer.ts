import { DomainError, ErrorCode } from '../platform/errors/domain-error';

/** The signed-in user as the lead's auth puts it on req.user / res.locals.user. */
export interface Viewer {
  accountId: string;
  displayName?: string;
  municipalityId: string;
  roles: string[];
  /** The platform grants the roles come from (for the look-up and case-access policies). */
  grants?: { role: string; processKey: string | null }[];
}

/** What a viewer may see of a person. */
export type PersonPermission =
  'persons.read' | 'persons.personalCode' | 'persons.addressHistory' | 'persons.family';

/**
 * Roles → person-data permissions. Any caseworker or manager may search and read a card; only
 * residence caseworkers (and admins) see full personal codes, address history and family links;
 * other caseworkers see personal codes.
 */
export function personPermissions(roles: readonly string[]): Set<PersonPermission> {
  const p = new Set<PersonPermission>();
  for (const role of roles) {
    if (role === 'admin' || role === 'caseworker:residence') {
      p.add('persons.read')
        .add('persons.personalCode')
        .add('persons.addressHistory')
        .add('persons.family');
    } else if (role.startsWith('caseworker:')) {
      p.add('persons.read').add('persons.personalCode');
    } else if (role === 'manager') {
      p.add('persons.read');
    }
  }
  return p;
}

export const can = (viewer: Pick<Viewer, 'roles'>, permission: PersonPermission): boolean =>
  personPermissions(viewer.roles).has(permission);

/** Platform grants → the role strings personPermissions understands. */
function rolesFromGrants(grants: readonly { role: string; processKey: string | null }[]): string[] {
  return grants.map((g) => {
    if (g.role === 'administrator') return 'admin';
    if (g.role !== 'caseworker') return g.role;
    // A caseworker grant without a process covers every process, residence included.
    if (g.processKey === null || g.processKey.startsWith('residence'))
      return 'caseworker:residence';
    return `caseworker:${g.processKey}`;
  });
}

/** A usable viewer from the signed-in user (req.user), or an unauthenticated error. */
export function requireViewer(user: unknown): Viewer {
  const u = user as
    (Partial<Viewer> & { grants?: { role: string; processKey: string | null }[] }) | undefined;
  if (!u || typeof u.accountId !== 'string' || typeof u.municipalityId !== 'string') {
    throw new DomainError(ErrorCode.Unauthenticated, 'sign in required');
  }
  const roles = Array.isArray(u.grants)
    ? rolesFromGrants(u.grants)
    : Array.isArray(u.roles)
      ? u.roles
      : null;
  if (!roles) throw new DomainError(ErrorCode.Unauthenticated, 'sign in required');
  const grants = Array.isArray(u.grants) ? u.grants : undefined;
  return {
    accountId: u.accountId,
    displayName: u.displayName,
    municipalityId: u.municipalityId,
    roles,
    ...(grants ? { grants } : {}),
  };
}
