/** Roles are granted per municipality; a caseworker grant may be limited to one process. */
export const ROLES = [
  'citizen',
  'caseworker',
  'manager',
  'council_secretary',
  'deputy',
  'administrator',
] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'citizen');

export const isRole = (v: unknown): v is Role =>
  typeof v === 'string' && (ROLES as readonly string[]).includes(v);

export const LANGUAGES = ['lv', 'en', 'el'] as const;
export type Language = (typeof LANGUAGES)[number];
