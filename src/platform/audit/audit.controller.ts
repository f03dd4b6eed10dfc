import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { Person } from '../../modules/persons/person.entity';
import { Account } from '../accounts/account.entity';
import { SignedIn } from '../auth/access.decorators';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { TenantDb } from '../tenancy/tenant-db';
import { AuditService, type Consultation } from './audit.service';
import { auditRequestContext } from './request-context';

@Controller('api/me')
@SignedIn()
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly ds: DataSource,
    private readonly tenants: TenantDb,
  ) {}

  /**
   * The signed-in resident's own report: dates and purposes of reads of their data in the active
   * municipality. The resident is found by the personal code their eID sign-in gave the account.
   */
  @Get('consultations')
  async consultations(@Req() req: Request): Promise<{ personId: string | null; consultations: Consultation[] }> {
    const u = req.user;
    if (!u?.municipalityId) throw new DomainError(ErrorCode.Unauthenticated, 'sign in required');
    const account = await this.ds.getRepository(Account).findOneBy({ id: u.accountId });
    if (!account?.personalCode) return { personId: null, consultations: [] };
    const municipalityId = u.municipalityId;
    const person = await this.tenants.run(municipalityId, (em) =>
      em.findOne(Person, { where: { municipalityId, personalCode: account.personalCode! }, select: { id: true } }),
    );
    if (!person) return { personId: null, consultations: [] };
    const consultations = await this.audit.consultations(
      municipalityId,
      person.id,
      { accountId: u.accountId, display: u.displayName, role: 'resident' },
      auditRequestContext(req),
    );
    return { personId: person.id, consultations };
  }
}
