import { socialAssistanceVersions } from '../../../workflows/social-assistance';
import { defineProcessModule } from '../../processes/process-module';
import { applicationParties } from './application/application.case-views';
import { socialAssistanceActivities } from './process/social-assistance.activities.wiring';
import { socialAssistanceReply } from './process/social-assistance-case.service';
import { socialAssistanceCaseView } from './process/social-assistance.case-views';
import {
  cooperationAgreement,
  socialAssistanceReview,
  socialAssistanceReviewV2,
  socialAssistanceVisit,
} from './process/social-assistance.forms';
import { SOCIAL_ASSISTANCE_TEMPLATES } from './process/social-assistance.templates';
import { SOCIAL_ASSISTANCE_STAFF } from './social-assistance.access';
import { seedSocialAssistanceDemo } from './social-assistance.demo';
import { SOCIAL_ASSISTANCE_PARAMETERS } from './social-assistance.parameters';

/**
 * Social assistance (Latvia: SPSPL, MK 809): the process `social-assistance` (an application
 * opens the case; registers, means assessment, the caseworker's review, the sealed decision, the
 * award and its monthly payments), its parameters (thresholds 2021–2026, housing coefficients,
 * municipal low-income rule table, norms, periods, rounding) and the staff what-if calculator.
 */
export const socialAssistanceProcess = defineProcessModule({
  name: 'social-assistance',
  processes: [...socialAssistanceVersions],
  activities: socialAssistanceActivities,
  forms: [
    socialAssistanceReview,
    socialAssistanceReviewV2,
    socialAssistanceVisit,
    cooperationAgreement,
  ],
  // The integrity monitor's tasks are answered on the award findings page (stop the award or dismiss).
  taskPages: { 'social-assistance.integrity': '/workspace/social-assistance/findings' },
  templates: SOCIAL_ASSISTANCE_TEMPLATES,
  parameters: SOCIAL_ASSISTANCE_PARAMETERS,
  timelineKinds: [
    'social-assistance.assessed',
    'social-assistance.information-requested',
    'social-assistance.information-supplied',
    'social-assistance.information-not-supplied',
    'social-assistance.visit-required',
    'social-assistance.visit-recorded',
    'social-assistance.award-granted',
    'social-assistance.cooperation',
    'social-assistance.decision-delivery',
    'social-assistance.payment-held',
    'social-assistance.reassessment-reminder',
    'social-assistance.award-recalculated',
    'social-assistance.integrity-finding',
    'social-assistance.award-stopped',
    'social-assistance.finding-dismissed',
  ],
  stages: [
    'registry-checks',
    'assessment',
    'visit',
    'review',
    'awaiting-information',
    'deciding',
    'cooperation',
    'paying',
  ],
  catalogue: [
    {
      key: 'social-assistance',
      name: 'social-assistance:catalogue.name',
      description: 'social-assistance:catalogue.description',
      who: 'social-assistance:catalogue.who',
      documents: 'social-assistance:catalogue.documents',
      fee: 'social-assistance:catalogue.fee',
      deadline: 'social-assistance:catalogue.deadline',
      howTo: 'social-assistance:catalogue.howTo',
      result: 'social-assistance:catalogue.result',
      startUrl: '/social-assistance/apply',
    },
  ],
  citizenCaseHref: {
    'social-assistance': (caseId: string) => `/social-assistance/cases/${caseId}`,
  },
  // Unverified placeholder: the state catalogue's code is set per installation (PSPP_SERVICE_CODES).
  serviceCodes: { 'social-assistance': 'SOC-PALIDZIBA' },
  caseViews: { 'social-assistance': socialAssistanceCaseView },
  // A reply by e-address quoting the case answers an open request for information.
  incomingReplies: { 'social-assistance': socialAssistanceReply },
  caseParties: { 'social-assistance': applicationParties },
  deadlineRules: [
    {
      country: 'LV',
      processKey: 'social-assistance',
      ruleKey: 'social-assistance.decision',
      basis:
        'Sociālo pakalpojumu un sociālās palīdzības likums; Administratīvā procesa likums 64. pants',
      unit: 'months',
      amount: 1,
      maxExtension: 4,
      warnBefore: 5,
      onResume: 'restart',
      validFrom: '2000-01-01',
      note: 'Status decisions within 1 month after the application and all supporting information are received (DOMAIN.md); the clock restarts when requested information arrives.',
    },
  ],
  // The demo municipality's low-income threshold, paying account and applications in every state.
  demoCases: seedSocialAssistanceDemo,
  navigation: {
    staff: [
      {
        key: 'social-assistance-calculator',
        href: '/workspace/social-assistance/calculator',
        label: 'workspace:nav.socialAssistanceCalculator',
        anyOf: SOCIAL_ASSISTANCE_STAFF,
        countries: ['LV'],
      },
      {
        key: 'social-assistance-statistics',
        href: '/workspace/social-assistance/statistics',
        label: 'workspace:nav.socialAssistanceStatistics',
        anyOf: SOCIAL_ASSISTANCE_STAFF,
        countries: ['LV'],
      },
      {
        key: 'social-assistance-findings',
        href: '/workspace/social-assistance/findings',
        label: 'workspace:nav.socialAssistanceFindings',
        anyOf: SOCIAL_ASSISTANCE_STAFF,
        countries: ['LV'],
      },
      {
        key: 'social-assistance-counter',
        href: '/workspace/social-assistance/applications/new',
        label: 'workspace:nav.socialAssistanceCounter',
        anyOf: SOCIAL_ASSISTANCE_STAFF,
        countries: ['LV'],
        alsoCurrentUnder: ['/workspace/social-assistance/applications'],
      },
    ],
    citizenPaths: ['/social-assistance'],
    citizenCasePaths: ['/social-assistance/cases'],
  },
});
