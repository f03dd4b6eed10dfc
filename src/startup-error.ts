import { UnknownDependenciesException } from '@nestjs/core/errors/exceptions/unknown-dependencies.exception';
import { ConfigError } from './config/config';
import { UnsafeDatabaseRoleError } from './platform/database/runtime-roles';
import { DomainError, ErrorCode } from './platform/errors/domain-error';

const nameOf = (token: unknown): string =>
  typeof token === 'symbol'
    ? (token.description ?? token.toString())
    : typeof token === 'function'
      ? token.name
      : String(token);

/**
 * One line an operator can act on when the application cannot start: a port no module binds (a
 * code path would otherwise fail later, at the first case that needs it), or a port bound but
 * misconfigured. Undefined for anything else (a bug: the stack is what helps then).
 */
export function describeStartupFailure(e: unknown): string | undefined {
  if (e instanceof UnknownDependenciesException) {
    const ctx = e.context as { index?: number; dependencies?: unknown[]; name?: unknown };
    const missing =
      ctx.name ?? (ctx.index === undefined ? undefined : ctx.dependencies?.[ctx.index]);
    return `Civitas did not start: no module binds the port ${nameOf(missing)}, which ${nameOf(e.type)} needs. Every port must be bound in src/ (see docs/engine.md, "Ports").`;
  }
  if (e instanceof ConfigError || e instanceof UnsafeDatabaseRoleError) return e.message;
  if (e instanceof DomainError && e.code === ErrorCode.Misconfigured)
    return `Civitas did not start: ${e.message}`;
  return undefined;
}
