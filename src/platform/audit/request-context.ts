import type { Request } from 'express';

/** The request id (set by the logger from X-Request-Id, or generated) and client address for an audit entry. */
export function auditRequestContext(req: Request): { requestId: string | null; ip: string | null } {
  const id: unknown = (req as { id?: unknown }).id;
  return {
    requestId: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
    ip: req.ip ?? null,
  };
}
