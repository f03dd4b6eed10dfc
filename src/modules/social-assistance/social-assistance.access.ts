import type { RoleRequirement } from '../../platform/auth/access.decorators';

/** The process key social-assistance caseworkers are granted (the workflow comes later, under this key). */
export const SOCIAL_ASSISTANCE_PROCESS = 'social-assistance';

/** Who may use the calculator and the module's staff pages: its caseworkers and managers (the menu uses the same list). */
export const SOCIAL_ASSISTANCE_STAFF: [RoleRequirement, ...RoleRequirement[]] = [
  { role: 'caseworker', process: SOCIAL_ASSISTANCE_PROCESS },
  'manager',
];
