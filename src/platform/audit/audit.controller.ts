import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import { SignedIn } from '../auth/access.decorators';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { AuditService, type Consultation } from './audit.service';
import { auditRequestContext } from './request-context';

@Controller('api/me')
@SignedIn()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * The signed-in resident's own report: dates and purposes of reads of their data in the active
   * municipality (req.user.personId is their person record there, from the eID personal code).
   */
  @Get('consultations')
  async consultations(
    @Req() req: Request,
  ): Promise<{ personId: string | null; consultations: Consultation[] }> {
    const u = req.user;
    if (!u?.municipalityId) throw new DomainError(ErrorCode.Unauthenticated, 'sign in required');
    if (!u.personId) return { personId: null, consultations: [] };
    const consultations = await this.audit.consultations(
      u.municipalityId,
      u.personId,
      { accountId: u.accountId, display: u.displayName, role: 'resident' },
      auditRequestContext(req),
    );
    return { personId: u.personId, consultations };
  }
}
