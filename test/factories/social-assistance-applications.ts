import type { INestApplication } from '@nestjs/common';
import { SocialAssistanceApplication } from '../../src/modules/social-assistance/application/application.entity';
import { SocialAssistanceApplicationService } from '../../src/modules/social-assistance/application/application.service';
import {
  APPLICATION_STEPS,
  emptyApplicationData,
  type ApplicationChannel,
  type ApplicationData,
  type HouseholdMember,
} from '../../src/modules/social-assistance/application/application.types';
import { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { eventually } from '../support/engine-harness';
import type { ResidenceHarness } from '../workflows/residence/harness';

export interface Applicant {
  code: string;
  given: string;
  family: string;
  birthDate?: string;
}

/** The applicant as the household's one member: working age, no pension, disability or school. */
export function applicantMember(a: Applicant): HouseholdMember {
  return {
    givenName: a.given,
    familyName: a.family,
    personalCode: a.code,
    birthDate: a.birthDate ?? '1985-03-15',
    relation: 'applicant',
    pensioner: false,
    disability: false,
    fullTimeEducation: false,
    workingAge: true,
  };
}

export interface ApplicationSpec {
  municipalityId: string;
  /** The account that enters it (the resident's, or the caseworker's at the counter). */
  accountId: string;
  applicant: Applicant;
  channel?: ApplicationChannel;
  lang?: 'lv' | 'en' | 'el';
  /**
   * The answers; default: the applicant alone, without income, asking for GMI and needy status.
   * A function gets the draft (e.g. for its income months).
   */
  data?:
    Partial<ApplicationData> | ((draft: SocialAssistanceApplication) => Partial<ApplicationData>);
}

/**
 * A draft with every step answered, as the pages leave it before "Submit": through the service's
 * startDraft, then its data written whole. `prepare` may add what the pages would (bills).
 */
export async function completeDraft(
  app: INestApplication,
  spec: ApplicationSpec,
  prepare?: (draft: SocialAssistanceApplication) => Promise<void>,
): Promise<SocialAssistanceApplication> {
  const { municipalityId, accountId, applicant } = spec;
  const tenantDb = app.get(TenantDb);
  const draft = await app.get(SocialAssistanceApplicationService).startDraft({
    municipalityId,
    applicantCode: applicant.code,
    applicantName: `${applicant.given} ${applicant.family}`,
    channel: spec.channel ?? 'online',
    enteredBy: accountId,
    lang: spec.lang ?? 'lv',
  });
  const data: ApplicationData = {
    ...emptyApplicationData(),
    members: [applicantMember(applicant)],
    benefits: ['gmi', 'needy-status'],
    paymentAccount: 'LV80BANK0000435195001',
    ...(typeof spec.data === 'function' ? spec.data(draft) : spec.data),
  };
  await tenantDb.run(municipalityId, (em) =>
    em.update(
      SocialAssistanceApplication,
      { id: draft.id },
      { data, stepsDone: [...APPLICATION_STEPS], truthDeclared: true },
    ),
  );
  if (prepare) await prepare(draft);
  return tenantDb.run(municipalityId, (em) =>
    em.findOneByOrFail(SocialAssistanceApplication, { id: draft.id }),
  );
}

/** A complete application submitted: its case is open and its run started. */
export async function submitApplication(
  app: INestApplication,
  spec: ApplicationSpec,
  prepare?: (draft: SocialAssistanceApplication) => Promise<void>,
): Promise<SocialAssistanceApplication> {
  const draft = await completeDraft(app, spec, prepare);
  return app.get(SocialAssistanceApplicationService).submit(
    {
      municipalityId: spec.municipalityId,
      accountId: spec.accountId,
      channel: spec.channel ?? 'online',
    },
    draft,
  );
}

/**
 * At the case's first review the caseworker requests information (answer by 2030-01-31); resolves
 * once the run waits for the answer (stage `awaiting-information`).
 */
export async function requestInformation(
  h: ResidenceHarness,
  caseId: string,
  question: string,
): Promise<void> {
  const review = await h.openTask(caseId, 'review:1');
  await h.tasks.complete(h.caseworker, review.id, {
    outcome: 'request-information',
    question,
    answerBy: '2030-01-31',
  });
  await eventually(
    async () => (await h.cases.get(h.municipalityId, caseId)).stage === 'awaiting-information',
    60_000,
    'awaiting information',
  );
}
