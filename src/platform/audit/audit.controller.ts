import { Controller, Get, Req, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService, type Consultation } from './audit.service';
import { auditRequestContext } from './request-context';
import { SignedIn } from '../auth/access.decorators';

/**
 * The shape this controller needs from the signed-in user. The auth module sets `req.user`;
 * until it lands, tests set it with a middleware.
 */
export interface ResidentUser {
  accountId: string;
  displayName: string;
  municipalityId: string;
  personId?: string | null;
}

type RequestWithUser = Request & { user?: ResidentUser };

@Controller('api/me')
@SignedIn()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Permission: the signed-in resident, for their own person record only. */
  @Get('consultations')
  async consultations(
    @Req() req: RequestWithUser,
  ): Promise<{ personId: string; consultations: Consultation[] }> {
    const u = req.user;
    if (!u?.personId || !u.municipalityId) throw new UnauthorizedException();
    const consultations = await this.audit.consultations(
      u.municipalityId,
      u.personId,
      { accountId: u.accountId, display: u.displayName, role: 'resident' },
      auditRequestContext(req),
    );
    return { personId: u.personId, consultations };
  }
}
