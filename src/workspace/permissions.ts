import type { Case } from '../cases/case.entity';

interface UserLike {
  accountId: string;
  roles: string[];
}

interface TaskLike {
  status: string;
  role: string;
  assigneeId: string | null;
  escalated: boolean;
}

/**
 * Which buttons a user sees on a task. Mirrors TaskService's rules (which refuse anyway):
 * hiding a button is for clarity, never the protection.
 */
export function taskActions(user: UserLike, t: TaskLike) {
  const hasRole = user.roles.includes(t.role);
  const manager = user.roles.includes('manager');
  const mine = t.status === 'claimed' && t.assigneeId === user.accountId;
  return {
    claim: t.status === 'open' && hasRole,
    release: t.status === 'claimed' && (mine || manager),
    decide:
      (mine && hasRole) ||
      (t.escalated && manager && (t.status === 'open' || t.status === 'claimed')),
    reassign: manager && (t.status === 'open' || t.status === 'claimed'),
  };
}

export function caseActions(user: UserLike, c: Pick<Case, 'status'>) {
  const open = c.status === 'open';
  return {
    requestInfo: open && (user.roles.includes('caseworker') || user.roles.includes('manager')),
    extend: open && user.roles.includes('manager'),
    audit: user.roles.includes('manager') || user.roles.includes('administrator'),
  };
}
