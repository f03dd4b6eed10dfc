import { RESIDENCE_PARAMETERS } from './residence.parameters';
import { residenceReplies } from './residence.replies';
import { residenceAnnulmentVersions } from '../../../workflows/residence-annulment';
import { residenceCertificateVersions } from '../../../workflows/residence-certificate';
import { residenceDeclarationVersions } from '../../../workflows/residence-declaration';
import type { RoleRequirement } from '../../platform/auth/access.decorators';
import {
  defineProcessModule,
  wire,
  type ServiceCatalogueEntry,
} from '../../processes/process-module';
import { residenceActivities } from './residence.activities.wiring';
import { seedResidenceCases } from './residence.demo';
import {
  annulmentParties,
  annulmentView,
  declarationParties,
  declarationView,
} from './residence.case-views';
import { annulmentReview, residenceReview } from './residence.forms';
import { ResidenceFeesService } from './residence-fees.service';
import { RESIDENCE_TEMPLATES } from './residence.templates';

/** Who works on residence cases: the same requirement as the residence staff pages' @Roles. */
const RESIDENCE_STAFF: RoleRequirement[] = [
  { role: 'caseworker', process: 'residence-declaration' },
  'manager',
];

/** A residence service in the citizen catalogue; its form is the module's own page. */
const service = (key: string, ns: string, startUrl: string): ServiceCatalogueEntry => ({
  key,
  name: `${ns}.name`,
  description: `${ns}.description`,
  who: `${ns}.who`,
  documents: `${ns}.documents`,
  fee: `${ns}.fee`,
  deadline: `${ns}.deadline`,
  howTo: `${ns}.howTo`,
  result: `${ns}.result`,
  startUrl,
});

/** Residence declaration, its annulment, and residence certificates (Latvia). */
export const residenceProcess = defineProcessModule({
  name: 'residence',
  processes: [
    ...residenceDeclarationVersions,
    ...residenceAnnulmentVersions,
    ...residenceCertificateVersions,
  ],
  activities: residenceActivities,
  forms: [residenceReview, annulmentReview],
  templates: RESIDENCE_TEMPLATES,
  timelineKinds: [
    'registry.checked',
    'residence.registered',
    'residence.documents-requested',
    'residence.documents-supplied',
    'residence.documents-not-supplied',
    'residence.owners-notified',
    'residence.certificate-delivery',
    'residence.basis-invitation',
    'residence.response-period',
    'residence.not-notified',
    'residence.basis-response',
    'residence.no-response',
    'residence.annulled',
    'residence.redeclared',
  ],
  // Checking whether a declared residence still has a legal basis before an annulment is started
  // ex officio (Dzīvesvietas deklarēšanas likums), and checking and correcting the residence
  // register's data (statistics, returned mail, duplicate records).
  lookupPurposes: [
    { code: 'annulment-check', needsCase: false },
    { code: 'register-quality', needsCase: false },
  ],
  stages: ['registry-checks', 'review', 'awaiting-documents', 'awaiting-response', 'registering'],
  catalogue: [
    service(
      'residence-declaration',
      'residence-catalogue:residenceDeclaration',
      '/residence/declare',
    ),
    service(
      'residence-certificate',
      'residence-catalogue:residenceCertificates',
      '/residence/certificates',
    ),
  ],
  // The declaration's own status page has the uploads and the certificate; "my cases" links there.
  citizenCaseHref: { 'residence-declaration': (caseId: string) => `/residence/cases/${caseId}` },
  // Unverified placeholders: the state catalogue's codes are set per installation (PSPP_SERVICE_CODES).
  serviceCodes: {
    'residence-declaration': 'DZV-DEKLARACIJA',
    'residence-annulment': 'DZV-ANULESANA',
    'residence-certificate': 'DZV-IZZINA',
  },
  caseViews: { 'residence-declaration': declarationView, 'residence-annulment': annulmentView },
  incomingReplies: residenceReplies,
  caseParties: {
    'residence-declaration': declarationParties,
    'residence-annulment': annulmentParties,
  },
  feeVars: {
    'residence-declaration': wire(
      { fees: ResidenceFeesService },
      ({ fees }: { fees: ResidenceFeesService }) =>
        (municipalityId) =>
          fees.counterFeeVars(municipalityId),
    ),
  },
  deadlineRules: [
    {
      country: 'LV',
      processKey: 'residence-declaration',
      ruleKey: 'residence-declaration.decision',
      basis: 'Administratīvā procesa likums 64. pants; Iesniegumu likums 5. pants',
      unit: 'months',
      amount: 1,
      maxExtension: 4,
      warnBefore: 5,
      onResume: 'shift',
      validFrom: '2000-01-01',
      note: '1 month from receipt, extendable up to 4 months with a notice to the applicant (lvportals.lv 343513).',
    },
    {
      country: 'LV',
      processKey: 'residence-declaration',
      ruleKey: 'residence-declaration.annulment',
      basis: 'Dzīvesvietas deklarēšanas likums; pašvaldības pakalpojuma apraksts (anulēšana)',
      unit: 'working_days',
      amount: 30,
      maxExtension: null,
      warnBefore: 5,
      onResume: 'shift',
      validFrom: '2000-01-01',
      note: 'Municipal service cards give 30 working days for annulment (practice, not a statutory term).',
    },
  ],
  demoCases: seedResidenceCases,
  navigation: {
    staff: [
      {
        key: 'declare',
        href: '/workspace/residence/declare',
        label: 'workspace:nav.declare',
        anyOf: RESIDENCE_STAFF,
        countries: ['LV'],
        alsoCurrentUnder: ['/workspace/residence/cases'],
      },
      {
        key: 'annulment',
        href: '/workspace/residence/annulments/new',
        label: 'workspace:nav.annulment',
        anyOf: RESIDENCE_STAFF,
        countries: ['LV'],
      },
      {
        key: 'certificates',
        href: '/workspace/residence/certificates',
        label: 'workspace:nav.certificates',
        anyOf: RESIDENCE_STAFF,
        countries: ['LV'],
      },
      {
        key: 'persons',
        href: '/workspace/residence/persons',
        label: 'workspace:nav.persons',
        anyOf: RESIDENCE_STAFF,
        countries: ['LV'],
      },
      {
        key: 'lists',
        href: '/workspace/residence/lists',
        label: 'workspace:nav.lists',
        anyOf: RESIDENCE_STAFF,
        countries: ['LV'],
      },
      {
        key: 'statistics',
        href: '/workspace/residence/statistics',
        label: 'workspace:nav.statistics',
        anyOf: RESIDENCE_STAFF,
        countries: ['LV'],
      },
    ],
    citizenPaths: ['/residence'],
    citizenCasePaths: ['/residence/cases'],
  },
  // Fees, periods and annulment grounds: effective-dated, seeded once, changed by administrators.
  parameters: RESIDENCE_PARAMETERS,
});
