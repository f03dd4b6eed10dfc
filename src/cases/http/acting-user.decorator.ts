import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type { ActingUser } from '../acting-user';

/** The signed-in staff member (`req.user`, set by the auth module); refuses anonymous calls. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): ActingUser => {
  const user = (ctx.switchToHttp().getRequest<Request>() as Request & { user?: ActingUser }).user;
  if (!user?.accountId || !user.municipalityId || !Array.isArray(user.roles)) {
    throw new DomainError(ErrorCode.Unauthenticated, 'sign-in required');
  }
  return user;
});
