/** The signed-in person acting through the API (shape provided by the auth module as req.user). */
export interface ActingUser {
  accountId: string;
  municipalityId: string;
  roles: string[];
  /** Role grants in the municipality (with process keys); without them each role counts for every process. */
  grants?: { role: string; processKey: string | null }[];
}

/** Role that may reassign tasks and sees escalated work. */
export const MANAGER_ROLE = 'manager';
