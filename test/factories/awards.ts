import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Case } from '../../src/cases/case.entity';
import { amountFields } from '../../src/modules/social-assistance/awards/award-amount-record';
import {
  SocialAssistanceAward,
  SocialAssistanceAwardAmount,
  type AwardBenefit,
  type AwardState,
  type AwardStatus,
} from '../../src/modules/social-assistance/awards/award.entity';
import { calculate } from '../../src/modules/social-assistance/calculation/calculate';
import type { CalculationInput } from '../../src/modules/social-assistance/calculation/types';
import { SocialAssistanceRulesService } from '../../src/modules/social-assistance/social-assistance-rules.service';
import { PaymentLine, type LineStatus } from '../../src/payments/payment-line.entity';
import { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { personalCodeFor } from './persons';

const RESIDENT_PAYEE = {
  payeeKind: 'resident',
  payeeName: 'Resident',
  payeeIban: 'LV80BANK0000435195001',
  payeeReference: null,
} as const;

type AwardRow = Pick<
  SocialAssistanceAward,
  | 'holderCode'
  | 'householdCodes'
  | 'status'
  | 'validFrom'
  | 'validUntil'
  | 'addressCode'
  | 'territory'
> &
  Partial<Pick<SocialAssistanceAward, 'state' | 'stopReason' | 'stoppedOn' | 'decidedOn'>>;
type AmountRow = Pick<SocialAssistanceAwardAmount, 'benefit' | 'monthlyCents'> &
  Partial<SocialAssistanceAwardAmount>;

/**
 * An award as the process's `grantAward` writes one: the award and one amount row per benefit over
 * its whole period, paid to the resident, in the municipality's transaction (RLS).
 */
async function saveAward(
  em: EntityManager,
  municipalityId: string,
  caseId: string,
  row: AwardRow,
  amountRows: AmountRow[],
): Promise<{ award: SocialAssistanceAward; amounts: SocialAssistanceAwardAmount[] }> {
  const award = await em.getRepository(SocialAssistanceAward).save({
    municipalityId,
    caseId,
    applicationId: randomUUID(),
    decidedBy: 'system',
    decidedOn: row.validFrom,
    ...row,
  });
  const amounts: SocialAssistanceAwardAmount[] = [];
  for (const a of amountRows)
    amounts.push(
      await em.getRepository(SocialAssistanceAwardAmount).save({
        municipalityId,
        awardId: award.id,
        caseId,
        validFrom: row.validFrom,
        validUntil: row.validUntil,
        reason: 'decision' as const,
        ...RESIDENT_PAYEE,
        calculation: [],
        parameters: {},
        ...a,
      }),
    );
  return { award, amounts };
}

export interface AwardOptions {
  holderCode?: string;
  householdCodes?: string[];
  status?: AwardStatus;
  validFrom: string;
  validUntil: string;
  /** The means-test input (its asOf is the application date whose rules the decision used). */
  input: CalculationInput;
  benefits?: AwardBenefit[];
  addressCode?: string | null;
}

export interface CreatedAward {
  award: SocialAssistanceAward;
  amounts: SocialAssistanceAwardAmount[];
  caseId: string;
}

/**
 * A decided social-assistance case with its award, as grantAward writes one: the case row (its run
 * finished), the award and one amount row per benefit computed by the real calculator under the
 * parameters in force on the input's date (calculation {input, result}, parameters key → version).
 */
export async function createAward(
  app: INestApplication,
  municipalityId: string,
  o: AwardOptions,
): Promise<CreatedAward> {
  const params = await app.get(SocialAssistanceRulesService).inForce(municipalityId, o.input.asOf);
  const result = calculate(o.input, params);
  const holderCode = o.holderCode ?? personalCodeFor('1985-03-10');
  return app.get(TenantDb).run(municipalityId, async (em) => {
    const c = await em.save(
      em.create(Case, {
        municipalityId,
        number: `SA-${randomBytes(4).toString('hex')}`,
        processKey: 'social-assistance',
        processVersion: 1,
        status: 'closed',
        stage: 'decided',
        outcome: 'approved',
        applicantRef: holderCode,
        title: 'Social assistance',
        runStartedAt: new Date(),
        closedAt: new Date(),
      }),
    );
    const saved = await saveAward(
      em,
      municipalityId,
      c.id,
      {
        holderCode,
        householdCodes: o.householdCodes ?? [holderCode],
        status: o.status ?? (result.status === 'low-income' ? 'low-income' : 'needy'),
        validFrom: o.validFrom,
        validUntil: o.validUntil,
        addressCode: o.addressCode ?? null,
        territory: null,
      },
      (o.benefits ?? (['gmi', 'housing'] as AwardBenefit[])).map((benefit) => ({
        benefit,
        ...amountFields(o.input, result, benefit),
      })),
    );
    return { ...saved, caseId: c.id };
  });
}

export interface AwardFiguresSpec {
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

/**
 * An award with the monthly amounts given (no calculation), for a case id of its own and no case
 * row: statistics, payments and the monitor read awards by case id only.
 */
export async function createAwardFigures(
  app: INestApplication,
  municipalityId: string,
  spec: AwardFiguresSpec,
): Promise<{ award: SocialAssistanceAward; amounts: SocialAssistanceAwardAmount[] }> {
  const codes =
    spec.householdCodes ??
    Array.from({ length: spec.persons ?? 1 }, () => personalCodeFor('1980-01-01'));
  return app.get(TenantDb).run(municipalityId, (em) =>
    saveAward(
      em,
      municipalityId,
      randomUUID(),
      {
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
        decidedOn: spec.decidedOn ?? spec.validFrom,
      },
      Object.entries(spec.amounts ?? {}).map(([benefit, cents]) => ({
        benefit: benefit as AwardBenefit,
        monthlyCents: cents,
      })),
    ),
  );
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
      payeeKind: RESIDENT_PAYEE.payeeKind,
      payeeName: RESIDENT_PAYEE.payeeName,
      payeeIban: RESIDENT_PAYEE.payeeIban,
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
