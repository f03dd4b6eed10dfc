import { SetMetadata, applyDecorators } from '@nestjs/common';
import type { Role } from '../accounts/roles';

export const ACCESS_KEY = 'civitas:access';

/** A role, optionally narrowed to one process for caseworkers. */
export type RoleRequirement = Role | { role: 'caseworker'; process: string };

export type AccessRule =
  { kind: 'public' } | { kind: 'signed-in' } | { kind: 'roles'; anyOf: RoleRequirement[] };

/** Anyone, signed in or not. */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies AccessRule);

/** Any signed-in account, whatever its roles. */
export const SignedIn = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_KEY, { kind: 'signed-in' } satisfies AccessRule);

/** Signed in and holding one of these roles in the active municipality. */
export const Roles = (
  ...anyOf: [RoleRequirement, ...RoleRequirement[]]
): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ACCESS_KEY, { kind: 'roles', anyOf } satisfies AccessRule));

export const CSRF_EXEMPT_KEY = 'civitas:csrf-exempt';

/**
 * For anonymous, read-only POSTs only (e.g. checking an uploaded PDF's seal): they change nothing
 * and act with no one's credentials, so there is nothing for a forged request to abuse.
 */
export const CsrfExempt = (): MethodDecorator & ClassDecorator =>
  SetMetadata(CSRF_EXEMPT_KEY, true);
