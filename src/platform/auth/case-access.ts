/**
 * The one access policy for case files (issue 12 H1). Every case, task, document, upload and
 * export route asks it, API and pages alike: role AND process grant AND municipality, and for a
 * resident, being party to the case.
 *
 * - `read`: the staff case file with its tasks, documents and uploads: a caseworker holding a grant
 *   for the case's process (a grant without a process covers all), or a manager. Council
 *   secretaries, deputies and administrators do not open case files (no rule gives them one).
 * - `handle`: work on the case (claim and decide tasks, ask the applicant): as `read`.
 * - `manage`: allocate work and extend legal deadlines: managers only.
 * - `party`: the resident's own pages of a case: a citizen of the case's municipality named as a
 *   party (the applicant, or a person the process names, e.g. those declared at an address).
 */
export type CaseAction = 'read' | 'handle' | 'manage' | 'party';

export interface CaseActor {
  accountId: string;
  /** The active municipality; null when the user has none. */
  municipalityId: string | null;
  roles?: readonly string[];
  /** Role grants held in the active municipality; without them each role counts as held for every process. */
  grants?: readonly { role: string; processKey: string | null }[];
  /** For `party`: how cases name this resident (account id, personal code). */
  partyRefs?: readonly string[];
}

export interface CaseSubject {
  municipalityId: string;
  processKey: string;
  /** For `party`: the account ids and personal codes of the residents party to the case. */
  parties?: readonly (string | null)[];
}

/**
 * Processes whose cases are worked under another process's grant: a residence caseworker handles
 * the declaration, its annulment and the certificates of the residence register alike.
 */
const GRANT_PROCESS: Readonly<Record<string, string>> = {
  'residence-annulment': 'residence-declaration',
  'residence-certificate': 'residence-declaration',
};

/** The process key a caseworker grant must name to cover cases of `processKey`. */
export const grantProcessOf = (processKey: string): string =>
  GRANT_PROCESS[processKey] ?? processKey;

const grantsOf = (user: CaseActor): readonly { role: string; processKey: string | null }[] =>
  user.grants ?? (user.roles ?? []).map((role) => ({ role, processKey: null }));

/** Holds a caseworker grant covering the process: for all processes, for this one, or for the one whose grant covers it. */
export function holdsProcess(
  grants: readonly { role: string; processKey: string | null }[],
  processKey: string,
): boolean {
  const family = grantProcessOf(processKey);
  return grants.some(
    (g) =>
      g.role === 'caseworker' &&
      (g.processKey === null || g.processKey === processKey || g.processKey === family),
  );
}

export function mayAccessCase(
  user: CaseActor | null | undefined,
  c: CaseSubject,
  action: CaseAction,
): boolean {
  if (!user?.municipalityId || user.municipalityId !== c.municipalityId) return false;
  const grants = grantsOf(user);
  const manager = grants.some((g) => g.role === 'manager');
  switch (action) {
    case 'read':
    case 'handle':
      return manager || holdsProcess(grants, c.processKey);
    case 'manage':
      return manager;
    case 'party': {
      if (!grants.some((g) => g.role === 'citizen')) return false;
      const refs = new Set(user.partyRefs ?? []);
      return (c.parties ?? []).some((p) => p !== null && refs.has(p));
    }
  }
}

/** Processes whose case files the user may read (null: every process, as a manager). */
export function readableProcesses(user: CaseActor, all: readonly string[]): string[] | null {
  const grants = grantsOf(user);
  if (!user.municipalityId) return [];
  if (grants.some((g) => g.role === 'manager')) return null;
  return all.filter((p) => holdsProcess(grants, p));
}

export interface TaskSubject {
  municipalityId: string;
  processKey: string;
  role: string;
}

/**
 * May the holder of these grants (in the task's municipality) work on the task: the task's role,
 * and for a caseworker task a grant for its process. Used for the acting user and for whoever a
 * manager hands the task to.
 */
export function mayWorkOnTask(user: CaseActor | null | undefined, t: TaskSubject): boolean {
  if (!user?.municipalityId || user.municipalityId !== t.municipalityId) return false;
  const grants = grantsOf(user);
  if (t.role === 'caseworker') return holdsProcess(grants, t.processKey);
  return grants.some((g) => g.role === t.role);
}
