import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';

/** Port for the role check, so the platform's auth can provide its own. */
export const ROLE_CHECK = Symbol('ROLE_CHECK');

export interface RoleCheck {
  hasRole(req: Request, res: Response, role: string): boolean;
}

/** Default: the signed-in user the auth middleware puts in res.locals.user (deny when absent). */
export class LocalsUserRoleCheck implements RoleCheck {
  hasRole(_req: Request, res: Response, role: string): boolean {
    const user = res.locals.user as { roles?: string[] } | undefined;
    return Array.isArray(user?.roles) && user.roles.includes(role);
  }
}

const ROLE_KEY = 'civitas:requiredRole';
/** Declares the role a route requires; enforced by RoleGuard. */
export const RequireRole = (role: string) => SetMetadata(ROLE_KEY, role);

@Injectable()
export class RoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ROLE_CHECK) private readonly check: RoleCheck,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const role = this.reflector.getAllAndOverride<string | undefined>(ROLE_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!role) return true;
    const http = ctx.switchToHttp();
    if (this.check.hasRole(http.getRequest<Request>(), http.getResponse<Response>(), role))
      return true;
    throw new DomainError(ErrorCode.Forbidden, `requires the ${role} role`, [], { role });
  }
}
