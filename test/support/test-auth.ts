import type { NextFunction, Request, Response } from 'express';

/**
 * TESTS ONLY: sets req.user from the `x-test-user` header (JSON {accountId, municipalityId, roles}).
 * Stands in for the auth module's session; never mounted by the application itself.
 */
export function testAuth(req: Request, _res: Response, next: NextFunction): void {
  const raw = req.headers['x-test-user'];
  if (typeof raw === 'string') (req as Request & { user?: unknown }).user = JSON.parse(raw);
  next();
}
