import { randomBytes, randomUUID } from 'node:crypto';
import { Case } from '../../src/cases/case.entity';
import { TenantDb } from '../../src/platform/tenancy/tenant-db';
import type { CalculationInput } from '../../src/modules/social-assistance/calculation/types';
import { calculate } from '../../src/modules/social-assistance/calculation/calculate';
import { amountFields } from '../../src/modules/social-assistance/awards/award-amount-record';
import {
  SocialAssistanceAward,
  SocialAssistanceAwardAmount,
  type AwardBenefit,
  type AwardStatus,
} from '../../src/modules/social-assistance/awards/award.entity';
import { SocialAssistanceRulesService } from '../../src/modules/social-assistance/social-assistance-rules.service';
import type { INestApplication } from '@nestjs/common';
import { personalCodeFor } from './persons';

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
    const award = await em.save(
      em.create(SocialAssistanceAward, {
        municipalityId,
        caseId: c.id,
        applicationId: randomUUID(),
        holderCode,
        householdCodes: o.householdCodes ?? [holderCode],
        status: o.status ?? (result.status === 'low-income' ? 'low-income' : 'needy'),
        validFrom: o.validFrom,
        validUntil: o.validUntil,
        addressCode: o.addressCode ?? null,
        territory: null,
        decidedBy: 'system',
        decidedOn: o.validFrom,
      }),
    );
    const amounts: SocialAssistanceAwardAmount[] = [];
    for (const benefit of o.benefits ?? (['gmi', 'housing'] as AwardBenefit[]))
      amounts.push(
        await em.save(
          em.create(SocialAssistanceAwardAmount, {
            municipalityId,
            awardId: award.id,
            caseId: c.id,
            benefit,
            ...amountFields(o.input, result, benefit),
            validFrom: o.validFrom,
            validUntil: o.validUntil,
            reason: 'decision',
            payeeKind: 'resident',
            payeeName: 'Resident',
            payeeIban: 'LV80BANK0000435195001',
            payeeReference: null,
          }),
        ),
      );
    return { award, amounts, caseId: c.id };
  });
}
