import { defineProcessModule } from '../../processes/process-module';
import { SOCIAL_ASSISTANCE_STAFF } from './social-assistance.access';
import { seedSocialAssistanceDemo } from './social-assistance.demo';
import { SOCIAL_ASSISTANCE_PARAMETERS } from './social-assistance.parameters';

/**
 * Social assistance (Latvia: SPSPL, MK 809): the module's foundation. Its parameters (thresholds
 * 2021–2026, housing coefficients, municipal low-income rule table, norms, periods, rounding) and
 * the staff what-if calculator. The application workflow comes later under the process key
 * `social-assistance`; until then the module declares no process versions.
 */
export const socialAssistanceProcess = defineProcessModule({
  name: 'social-assistance',
  processes: [],
  parameters: SOCIAL_ASSISTANCE_PARAMETERS,
  // The demo municipality's own low-income threshold (no demo cases until the workflow exists).
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
    ],
  },
});
