import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import {
  SocialAssistanceAward,
  SocialAssistanceAwardAmount,
  type AwardBenefit,
  type AwardState,
  type AwardStatus,
} from '../../src/modules/social-assistance/awards/award.entity';
import type { LineStatus } from '../../src/payments/payment-line.entity';
import { PaymentLine } from '../../src/payments/payment-line.entity';
import { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { personalCodeFor } from './persons';

export interface AwardSpec {
  status: AwardStatus;
  validFrom: string;
  validUntil: string;
  /** Household size (the holder first); made-up personal codes unless `householdCodes` is given. */
  persons?: number;
  householdCodes?: string[];
  territory?: string | null;
  state?: AwardState;
  stoppedOn?: string | null;
  decidedOn?: string;
  /** Monthly amounts per benefit over the award's whole period (cents). */
  amounts?: Partial<Record<AwardBenefit, number>>;
}

export interface SeededAward {
  award: SocialAssistanceAward;
  amounts: SocialAssistanceAwardAmount[];
}

/**
 * An award as the process's `grantAward` writes one (the award and one amount row per benefit),
 * in the municipality's transaction (RLS), for a case id of its own (no case row: statistics,
 * payments and the monitor read awards by case id only).
 */
export async function createAward(
  app: INestApplication,
  municipalityId: string,
  spec: AwardSpec,
): Promise<SeededAward> {
  const codes =
    spec.householdCodes ??
    Array.from({ length: spec.persons ?? 1 }, () => personalCodeFor('1980-01-01'));
  const caseId = randomUUID();
  return app.get(TenantDb).run(municipalityId, async (em) => {
    const award = await em.getRepository(SocialAssistanceAward).save({
      municipalityId,
      caseId,
      applicationId: randomUUID(),
      holderCode: codes[0],
      householdCodes: codes,
      status: spec.status,
      validFrom: spec.validFrom,
      validUntil: spec.validUntil,
      addressCode: null,
      territory: spec.territory === undefined ? 'Tukums' : spec.territory,
      state: spec.state ?? 'active',
      stopReason: spec.state === 'stopped' ? 'holder-died' : null,
      stoppedOn: spec.stoppedOn ?? null,
      decidedBy: 'system',
      decidedOn: spec.decidedOn ?? spec.validFrom,
    });
    const amounts: SocialAssistanceAwardAmount[] = [];
    for (const [benefit, cents] of Object.entries(spec.amounts ?? {})) {
      amounts.push(
        await em.getRepository(SocialAssistanceAwardAmount).save({
          municipalityId,
          awardId: award.id,
          caseId,
          benefit: benefit as AwardBenefit,
          monthlyCents: cents,
          validFrom: spec.validFrom,
          validUntil: spec.validUntil,
          reason: 'decision' as const,
          payeeKind: 'resident' as const,
          payeeName: 'Resident',
          payeeIban: 'LV80BANK0000435195001',
          payeeReference: null,
          calculation: [],
          parameters: {},
        }),
      );
    }
    return { award, amounts };
  });
}

/** A payment line of an award's case for a benefit month (key `gmi:YYYY-MM`), in a status. */
export async function createAwardPaymentLine(
  app: INestApplication,
  municipalityId: string,
  award: SocialAssistanceAward,
  benefit: AwardBenefit,
  month: string,
  amountCents: number,
  status: LineStatus = 'scheduled',
  keySuffix = '',
): Promise<PaymentLine> {
  return app.get(TenantDb).run(municipalityId, (em) =>
    em.getRepository(PaymentLine).save({
      municipalityId,
      caseId: award.caseId,
      key: `${benefit}:${month}${keySuffix}`,
      payeeKind: 'resident',
      payeeName: 'Resident',
      payeeIban: 'LV80BANK0000435195001',
      payeeBic: null,
      amountCents,
      dueMonth: month,
      remittance: `${benefit} ${month}`,
      purposeCode: null,
      amkCode: null,
      ekkCode: null,
      ultimateDebtorName: null,
      status,
      runId: null,
      statusReason: null,
      statusText: null,
      reissueOf: null,
      createdBy: 'system',
    }),
  );
}
