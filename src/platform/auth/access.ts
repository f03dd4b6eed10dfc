import type { Grant } from '../accounts/accounts.service';
import type { RoleRequirement } from './access.decorators';
import type { SessionUser } from './session-user';

/** Whether grants (held in one municipality) satisfy a requirement; a caseworker grant without a process covers all. */
export function satisfies(grants: readonly Grant[], req: RoleRequirement): boolean {
  if (typeof req === 'string') return grants.some((g) => g.role === req);
  return grants.some((g) => g.role === req.role && (g.processKey === null || g.processKey === req.process));
}

/** For services: may this user act in this municipality with one of these roles? */
export function mayAct(user: SessionUser | undefined, municipalityId: string, ...anyOf: RoleRequirement[]): boolean {
  if (!user || user.municipalityId !== municipalityId) return false;
  return anyOf.some((r) => satisfies(user.grants, r));
}
