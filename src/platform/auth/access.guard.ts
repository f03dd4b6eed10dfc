import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { satisfies } from './access';
import { ACCESS_KEY, CSRF_EXEMPT_KEY, type AccessRule } from './access.decorators';
import { SAFE_METHODS } from './csrf';
import { SessionLayer } from './session.middleware';

/**
 * Global guard, deny by default: a route without @Public(), @SignedIn() or @Roles(...) is refused.
 * It also checks the CSRF token of every state-changing request (public ones too: sign-in).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly log = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionLayer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();

    const csrfExempt = this.reflector.getAllAndOverride<boolean | undefined>(CSRF_EXEMPT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!SAFE_METHODS.has(req.method) && !csrfExempt && !this.sessions.csrfValid(req)) {
      throw new DomainError(ErrorCode.Forbidden, 'missing or invalid CSRF token', [], {
        reason: 'csrf',
      });
    }

    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule) {
      this.log.warn(
        `${context.getClass().name}.${context.getHandler().name} declares no access rule: denied`,
      );
      throw new DomainError(ErrorCode.Forbidden, 'route declares no access rule', [], {
        reason: 'undeclared',
      });
    }
    if (rule.kind === 'public') return true;

    const user = req.user;
    if (!user)
      throw new DomainError(ErrorCode.Unauthenticated, 'sign-in required', [], {
        reason: req.sessionExpired ? 'expired' : 'anonymous',
      });
    if (rule.kind === 'signed-in') return true;

    const target = req.params?.municipalityId;
    if (typeof target === 'string' && target !== user.municipalityId) {
      throw new DomainError(ErrorCode.Forbidden, 'not the active municipality', [], {
        reason: 'municipality',
      });
    }
    if (!user.municipalityId || !rule.anyOf.some((r) => satisfies(user.grants, r))) {
      throw new DomainError(ErrorCode.Forbidden, 'role required', [], { reason: 'role' });
    }
    // Administration powers need a session that passed a second factor; the error filter sends a
    // browser to the enrolment page. A route the user may use through another role stays open.
    if (
      this.config.ADMIN_TOTP_REQUIRED &&
      !user.secondFactor &&
      !rule.anyOf.some((r) => r !== 'administrator' && satisfies(user.grants, r))
    ) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'second factor required',
        [{ field: 'code', message: 'auth:twoFactor.required' }],
        { reason: 'second_factor', key: 'auth:twoFactor.required' },
      );
    }
    return true;
  }
}
