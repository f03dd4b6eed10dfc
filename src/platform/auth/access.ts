import type { Grant } from '../accounts/accounts.service';
import type { RoleRequirement } from './access.decorators';

/** Whether grants (held in one municipality) satisfy a requirement; a caseworker grant without a process covers all. */
export function satisfies(grants: readonly Grant[], req: RoleRequirement): boolean {
  if (typeof req === 'string') return grants.some((g) => g.role === req);
  return grants.some(
    (g) => g.role === req.role && (g.processKey === null || g.processKey === req.process),
  );
}
