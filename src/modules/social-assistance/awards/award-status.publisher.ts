import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { addDays } from '../../../deadlines/calendar/working-days';
import { DeliverySender } from '../../../delivery/delivery-sender';
import { OutboxService } from '../../../delivery/outbox.service';
import type {
  PropertyTaxStatusMessage,
  StatusChange,
} from '../../../integrations/property-tax/property-tax-status.port';
import { CLOCK, type Clock } from '../../../platform/clock/clock';
import { afterCommit } from '../../../platform/database/after-commit';
import type { SocialAssistanceAward } from './award.entity';

/** The idempotency key of one status message: per award, change and period. */
export const awardStatusKey = (
  awardId: string,
  change: StatusChange,
  validFrom: string,
  validUntil: string,
): string => `property-tax:${awardId}:${change}:${validFrom}:${validUntil}`;

/** What the award's state says happened: active = granted, stopped, or its period ended. */
export const changeOf = (award: SocialAssistanceAward): StatusChange =>
  award.state === 'active' ? 'granted' : award.state;

/**
 * Passes an award's needy / low-income status and its period to the property-tax department
 * (issue 15 item 8): one outbox message (channel `property_tax_status`, purpose `status`) written
 * in the caller's transaction, so it exists exactly when the grant, stop or end does; its first
 * attempt is made after the commit and the outbox retries it with backoff and dead-letters it like
 * any other message. The idempotency key (award + change + period) makes a repeated call write
 * nothing and lets the department recognise a retried send.
 */
@Injectable()
export class AwardStatusPublisher {
  private readonly log = new Logger(AwardStatusPublisher.name);

  constructor(
    private readonly outbox: OutboxService,
    private readonly moduleRef: ModuleRef,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Call inside the transaction that grants, stops or ends `award` (its row as saved, with
   * `state`, and for a stop `stoppedOn`). Returns the outbox message id; null for an award
   * without a status (a housing benefit alone), which the department has nothing to learn of.
   */
  async publishAwardStatus(
    em: EntityManager,
    award: SocialAssistanceAward,
  ): Promise<string | null> {
    if (award.status === 'none') return null;
    const status = award.status;
    const change = changeOf(award);
    const validUntil =
      change === 'stopped' && award.stoppedOn ? addDays(award.stoppedOn, -1) : award.validUntil;
    const [m] = await em.query<{ code: string; registration_number: string }[]>(
      `SELECT code, registration_number FROM municipalities WHERE id = $1`,
      [award.municipalityId],
    );
    const message: PropertyTaxStatusMessage = {
      municipality: { code: m?.code ?? '', registrationNumber: m?.registration_number ?? '' },
      awardId: award.id,
      change,
      status,
      personalCodes: award.householdCodes?.length ? award.householdCodes : [award.holderCode],
      validFrom: award.validFrom,
      validUntil,
      occurredAt: this.clock.now().toISOString(),
    };
    const { message: row, created } = await this.outbox.enqueue(em, {
      municipalityId: award.municipalityId,
      caseId: award.caseId,
      channel: 'property_tax_status',
      purpose: 'status',
      recipient: 'property-tax',
      subject: `${change}:${award.status}`,
      body: JSON.stringify(message),
      idempotencyKey: awardStatusKey(award.id, change, award.validFrom, validUntil),
    });
    if (created) afterCommit(em, () => this.firstAttempt(award.municipalityId, row.id));
    return row.id;
  }

  private async firstAttempt(municipalityId: string, messageId: string): Promise<void> {
    try {
      await this.moduleRef.get(DeliverySender, { strict: false }).send(municipalityId, messageId);
    } catch (err) {
      this.log.warn(
        `status message ${messageId}: first attempt left to the outbox (${err instanceof Error ? err.message : String(err)})`,
      );
    }
  }
}
