import type {
  CaseFact,
  CasePartiesProvider,
  CaseViewProvider,
} from '../../../processes/process-module';
import { SocialAssistanceApplication, SocialAssistanceBill } from './application.entity';

const NS = 'social-assistance-application';

/**
 * The application's facts on the case page (for the manifest's `caseViews`): the household with
 * the flags that matter for the means test, the benefits asked, channel and date; the bills as
 * uploads. Incomes and assets are long: the caseworker opens the application page for them.
 */
export const applicationCaseView: CaseViewProvider = async (em, caseId) => {
  const app = await em.findOne(SocialAssistanceApplication, { where: { caseId } });
  if (!app) return null;
  const facts: CaseFact[] = [
    ...app.data.members.map((m): CaseFact => ({
      label: `${NS}:relation.${m.relation}`,
      value: m.personalCode,
      personalCode: true,
    })),
    ...app.data.benefits.map((b): CaseFact => ({
      label: `${NS}:benefits.legend`,
      valueKey: `${NS}:benefit.${b}`,
    })),
    ...(app.data.benefits.includes('housing-benefit') ? [housingPayeeFact(app)] : []),
    { label: `${NS}:submitted.appliedOn`, value: app.appliedOn ?? '' },
    { label: `${NS}:submitted.channel`, valueKey: `${NS}:channel.${app.channel}` },
  ];
  const bills = await em.find(SocialAssistanceBill, {
    where: { applicationId: app.id },
    select: ['id', 'fileName', 'mimeType', 'sizeBytes', 'createdAt'],
    order: { createdAt: 'ASC' },
  });
  return {
    facts,
    uploads: bills.map((b) => ({
      id: b.id,
      fileName: b.fileName,
      mimeType: b.mimeType,
      sizeBytes: b.sizeBytes,
      at: b.createdAt,
      href: `/workspace/social-assistance/applications/${app.id}/housing/bills/${b.id}`,
    })),
    requests: [],
  };
};

/** Who the application asks the housing benefit to be paid to: the applicant, or a provider with its account and bill. */
function housingPayeeFact(app: SocialAssistanceApplication): CaseFact {
  const cost = app.data.housingCosts.find((c) => c.kind === app.data.housingPaidTo);
  return cost
    ? {
        label: `${NS}:housing.paidTo`,
        value: [cost.payee, cost.iban, cost.reference].filter(Boolean).join(' · '),
      }
    : { label: `${NS}:housing.paidTo`, valueKey: `${NS}:housing.paidToApplicant` };
}

/** Party to the case besides the applicant: every member of the declared household. */
export const applicationParties: CasePartiesProvider = async (em, caseId) =>
  (await em.findOne(SocialAssistanceApplication, { where: { caseId } }))?.data.members.map(
    (m) => m.personalCode,
  ) ?? [];
