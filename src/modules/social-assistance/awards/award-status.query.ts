import { Injectable } from '@nestjs/common';
import { isIsoDate } from '../../../deadlines/calendar/working-days';
import { PersonDataReads } from '../../../persons/person-data-reads';
import { parsePersonalCode } from '../../../persons/personal-code';
import type { AuthenticatedClient } from '../../../platform/api-clients/api-clients.service';
import { DomainError, type FieldError } from '../../../platform/errors/domain-error';
import { TenantDb } from '../../../platform/tenancy/tenant-db';
import { SocialAssistanceCalculatorService } from '../social-assistance-calculator.service';
import { AWARD_STATUSES, type AwardStatus } from './award.entity';

/** The answer: whether the person holds the status on the date, and the period it holds for. */
export interface StatusAnswer {
  holds: boolean;
  status: AwardStatus;
  validFrom: string | null;
  validUntil: string | null;
}

export interface StatusQuery {
  personalCode?: unknown;
  status?: unknown;
  on?: unknown;
}

/**
 * "Does this person hold needy / low-income status on this date?" for another municipal system
 * (issue 15 item 8): a member of the household of an award of the client's municipality with that
 * status, whose period covers the date and that was not stopped before it. Nothing else about the
 * person is given. Every call is audited with the person asked about, the client and the answer.
 */
@Injectable()
export class AwardStatusQueryService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly reads: PersonDataReads,
    private readonly calculator: SocialAssistanceCalculatorService,
  ) {}

  async answer(
    client: AuthenticatedClient,
    q: StatusQuery,
    meta: { requestId?: string | null; ip?: string | null },
  ): Promise<StatusAnswer> {
    const errors: FieldError[] = [];
    const parsed = parsePersonalCode(typeof q.personalCode === 'string' ? q.personalCode : '');
    if (!parsed.ok) errors.push(parsed.error);
    const status = q.status as AwardStatus;
    if (!AWARD_STATUSES.includes(status))
      errors.push({ field: 'status', message: 'social-assistance:validation.statusName' });
    const on = typeof q.on === 'string' ? q.on : '';
    if (!isIsoDate(on)) errors.push({ field: 'on', message: 'social-assistance:validation.date' });
    if (errors.length || !parsed.ok) throw DomainError.validation(errors);
    await this.calculator.assertOffered(client.municipalityId);
    const code = parsed.value.code;
    const [row] = await this.tenantDb.run(client.municipalityId, (em) =>
      em.query<{ valid_from: string; valid_until: string }[]>(
        `SELECT valid_from::text AS valid_from,
                (CASE WHEN stopped_on IS NOT NULL AND stopped_on <= valid_until
                      THEN stopped_on - 1 ELSE valid_until END)::text AS valid_until
           FROM social_assistance_awards
          WHERE household_codes @> $1::jsonb AND status = $2
            AND valid_from <= $3 AND valid_until >= $3
            AND (stopped_on IS NULL OR stopped_on > $3)
          ORDER BY valid_from DESC LIMIT 1`,
        [JSON.stringify([code]), status, on],
      ),
    );
    const answer: StatusAnswer = {
      holds: !!row,
      status,
      validFrom: row?.valid_from ?? null,
      validUntil: row?.valid_until ?? null,
    };
    await this.reads.record(
      {
        municipalityId: client.municipalityId,
        actor: {
          accountId: null,
          display: `API client ${client.name} (${client.clientId})`,
          role: 'api-client',
        },
        action: 'social_assistance_status.queried',
        subject: { type: 'api_client', id: client.id },
        purpose: 'status enquiry by a municipal system',
        requestId: meta.requestId ?? null,
        ip: meta.ip ?? null,
        details: { status, on, holds: answer.holds },
      },
      [code],
    );
    return answer;
  }
}
