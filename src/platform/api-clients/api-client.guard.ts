import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CLOCK, type Clock } from '../clock/clock';
import { Public } from '../auth/access.decorators';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { ApiScope } from './api-client.entity';
import { ApiClientsService, type AuthenticatedClient } from './api-clients.service';

const SCOPE_KEY = 'civitas:api-scope';

declare module 'express-serve-static-core' {
  interface Request {
    apiClient?: AuthenticatedClient;
  }
}

/** Checks the client credentials of a machine API route and its scope; sets `req.apiClient`. */
@Injectable()
export class ApiClientGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly clients: ApiClientsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const scope = this.reflector.getAllAndOverride<ApiScope>(SCOPE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const client = await this.clients.authenticate(
      req.headers.authorization,
      this.clock.now().getTime(),
    );
    if (!client.scopes.includes(scope))
      throw new DomainError(ErrorCode.Forbidden, `API client lacks scope ${scope}`, [
        { field: 'authorization', message: 'common:errors.apiClientScope' },
      ]);
    req.apiClient = client;
    return true;
  }
}

/**
 * A machine API: no session (the global access guard lets it through as far as sessions go), but
 * an API client's credentials holding `scope`, checked by ApiClientGuard on every call.
 */
export const ApiClientRoute = (scope: ApiScope): MethodDecorator & ClassDecorator =>
  applyDecorators(Public(), SetMetadata(SCOPE_KEY, scope), UseGuards(ApiClientGuard));

/** The authenticated client of a request that passed ApiClientGuard. */
export function apiClientOf(req: Request): AuthenticatedClient {
  if (!req.apiClient) throw new DomainError(ErrorCode.Unauthenticated, 'no API client');
  return req.apiClient;
}
