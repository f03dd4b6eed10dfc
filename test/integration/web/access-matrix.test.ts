import { createHash, randomUUID } from 'node:crypto';
import type { DeliveryActivities } from '../../../activities/delivery';
import { Task } from '../../../src/cases/task.entity';
import {
  IncomingMessage,
  IncomingMessageFile,
} from '../../../src/correspondence/incoming-message.entity';
import { DELIVERY_ACTIVITIES } from '../../../src/delivery/delivery.module';
import { DocumentService } from '../../../src/documents/document.service';
import { TEMPLATES } from '../../../src/documents/templates/template-registry';
import { Person } from '../../../src/persons/person.entity';
import { ResidenceAttachment } from '../../../src/modules/residence/residence-declaration.entity';
import { SocialAssistanceApplicationService } from '../../../src/modules/social-assistance/application/application.service';
import { ResidenceCertificatesService } from '../../../src/modules/residence/residence-certificates.service';
import { setRegisterTerritory } from '../../../src/persons/register-territory';
import { InfoRequestService } from '../../../src/workspace/info-requests/info-request.service';
import { PaymentsService } from '../../../src/payments/payments.service';
import { csrfIn, type Browser } from '../auth/auth-support';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { routesOf, type Route } from '../../support/routes';
import { signInCitizen, signInStaff } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { createMunicipality } from '../../factories/municipalities';
import { createAward } from '../../factories/awards';
import { SocialAssistanceAwardFinding } from '../../../src/modules/social-assistance/awards/award-finding.entity';
import { type GrantSpec } from '../../factories/accounts';
import { ApiClientsService } from '../../../src/platform/api-clients/api-clients.service';

jest.setTimeout(600_000);

/**
 * Issue 12, "Access matrix": every route of the app, as every kind of user, against real data
 * (municipality A: a residence declaration with a document, an evidence upload and an answered
 * request; an annulment and a certificate of the same resident; a reference case). Expected
 * outcomes live in ROWS only. Allowed: 2xx/3xx (for a write, also a 4xx about its input or state:
 * 400, 409, 422, after authorisation). Refused: 401/403/404. Never a 5xx, never another
 * municipality's data.
 */

/** Kinds of user. `@B`: the same role in municipality B (which holds none of the fixture's data). */
const KINDS = [
  'anonymous',
  'citizen', // a resident of A who is party to none of the cases
  'party', // the resident of A who applied (residence, reference) and is named in the annulment and the certificate
  'party@B', // the same resident signed in to municipality B
  'caseworker', // all processes
  'caseworker:reference', // granted only the reference process (the other process of the residence case)
  'manager',
  'council_secretary',
  'deputy',
  'administrator',
  'caseworker@B',
  'caseworker:reference@B',
  'manager@B',
  'council_secretary@B',
  'deputy@B',
  'administrator@B',
] as const;
type Kind = (typeof KINDS)[number];

const STAFF_ROLES = [
  'caseworker',
  'caseworker:reference',
  'manager',
  'council_secretary',
  'deputy',
  'administrator',
] as const;
const inBoth = (...kinds: (typeof STAFF_ROLES)[number][]): Kind[] =>
  kinds.flatMap((k) => [k, `${k}@B`] as Kind[]);
const EVERYONE: Kind[] = [...KINDS];
const SIGNED_IN: Kind[] = KINDS.filter((k) => k !== 'anonymous');
const CITIZENS: Kind[] = ['citizen', 'party', 'party@B'];
const ALL_STAFF: Kind[] = inBoth(...STAFF_ROLES);
/** The residence register's staff pages (not one case): a caseworker holding the residence grant, a manager. */
const RESIDENCE_STAFF: Kind[] = inBoth('caseworker', 'manager');
/** The social-assistance calculator: its caseworkers (the all-process grant included) and managers. */
const SOCIAL_ASSISTANCE_STAFF: Kind[] = inBoth('caseworker', 'manager');

interface Fixture {
  resCase: string;
  resTask: string;
  resDone: string;
  resDoc: string;
  resUpload: string;
  infoAttachment: string;
  infoRequest: string;
  deadline: string;
  refCase: string;
  refTask: string;
  refDone: string;
  annCase: string;
  certCase: string;
  verificationCode: string;
  /** The residence declaration's case number. */
  resNumber: string;
  /** The reference case's number. */
  refNumber: string;
  personId: string;
  spareAccount: string;
  delivery: string;
  /** A letter of the residence case waiting to be posted. */
  letter: string;
  /** An incoming e-address message from the party waiting for registration, its file, and one already filed. */
  corr: string;
  corrFile: string;
  corrDone: string;
  /** A payment run of A and one of its lines (a payment of the residence case). */
  paymentRun: string;
  paymentLine: string;
  /** The party's social assistance application draft (with one bill). */
  saApp: string;
  saBill: string;
  /** An integrity finding about a social assistance award of A. */
  saFinding: string;
  /** An API client of A (the status API's credentials). */
  apiClient: string;
}

const CORR_SUBJECT = 'Matrix incoming letter';

interface Probe {
  /** A concrete URL of the route, built from the fixture. */
  url?: (f: Fixture) => string;
  allowed: Kind[];
  /** JSON body for writes (else `form`, else an empty form): valid enough to reach the authorisation inside the handler. */
  json?: unknown;
  form?: Record<string, string>;
  /** The URL names nothing that exists (no such row in the fixture): nobody may get a 2xx (or a 5xx). */
  absent?: true;
  /** Sign-in routes are rate-limited per address: a 429 (the test sends many from one) is accepted. */
  limited?: true;
  /** What an allowed kind must still not be shown (e.g. the case numbers of processes it holds no grant for). */
  hidden?: Partial<Record<Kind, (f: Fixture) => string[]>>;
  /**
   * The person's own national mailbox (the e-address stand-in): it shows what every municipality
   * sent them, so the party signed in to B rightly sees A's letters to them there.
   */
  national?: true;
  /** What an allowed kind must be shown (so that `hidden` is not met by an empty answer). */
  shown?: Partial<Record<Kind, (f: Fixture) => string[]>>;
}

type Row = Probe | Probe[];

const RESIDENCE_CASE: Kind[] = ['caseworker', 'manager'];
/** Social assistance counter pages: a caseworker holding its grant, a manager (either municipality: no one application). */
const SA_STAFF: Kind[] = inBoth('caseworker', 'manager');
/** One application of municipality A: its staff only. */
const SA_APPLICATION: Kind[] = ['caseworker', 'manager'];
const saApp = (f: Fixture) => `/workspace/social-assistance/applications/${f.saApp}`;
const CASE_LIST_HIDDEN: Probe['hidden'] = { 'caseworker:reference': (f) => [f.resNumber] };
const CASE_LIST_SHOWN: Probe['shown'] = {
  'caseworker:reference': (f) => [f.refNumber],
  manager: (f) => [f.resNumber, f.refNumber],
  caseworker: (f) => [f.resNumber, f.refNumber],
};
const REFERENCE_CASE: Kind[] = ['caseworker', 'caseworker:reference', 'manager'];

/**
 * THE TABLE: route (method and path as the router has it) → who is allowed. A route of the
 * router without a row fails the test with its name. Task commands are probed on a completed task
 * (`…Done`), so an allowed caller gets 409 and nothing changes.
 */
const ROWS: Record<string, Row> = {
  'GET /': { allowed: EVERYONE },
  // The fallback of unknown paths (registered for every method): nobody finds anything there.
  'GET /{*path}': { url: () => '/no-such-page', allowed: [] },
  'POST /{*path}': { url: () => '/no-such-page', allowed: [] },
  'PUT /{*path}': { url: () => '/no-such-page', allowed: [] },
  'PATCH /{*path}': { url: () => '/no-such-page', allowed: [] },
  'DELETE /{*path}': { url: () => '/no-such-page', allowed: [] },
  'GET /health': { allowed: EVERYONE },
  'GET /auth/sign-in': { allowed: EVERYONE },
  'POST /auth/sign-in': { allowed: EVERYONE, limited: true },
  'POST /auth/oidc/start': { allowed: EVERYONE },
  // Without a pending sign-in of this browser, the callback refuses everyone.
  'GET /auth/oidc/callback': { allowed: [], limited: true },
  'GET /auth/municipality': { allowed: SIGNED_IN },
  'POST /auth/municipality': { allowed: SIGNED_IN },
  'GET /api/auth/session': { allowed: EVERYONE },
  // The code step belongs to a browser that has just passed the password (or eID) step; without
  // one the page sends everyone back to the sign-in page.
  'GET /auth/sign-in/code': { allowed: [] },
  'POST /auth/sign-in/code': { allowed: EVERYONE },
  // Authenticator enrolment is for staff; residents' eID is already two-factor.
  'GET /auth/two-factor': { allowed: ALL_STAFF },
  'POST /auth/two-factor/start': { allowed: ALL_STAFF },
  'POST /auth/two-factor/confirm': { allowed: ALL_STAFF },
  'POST /auth/sign-out': { allowed: EVERYONE },
  'GET /api/me/consultations': { allowed: SIGNED_IN },

  'GET /verify': { allowed: EVERYONE },
  'GET /verify/:code': { url: (f) => `/verify/${f.verificationCode}`, allowed: EVERYONE },
  'POST /verify': { allowed: EVERYONE },
  'GET /api/verify/:code': { url: (f) => `/api/verify/${f.verificationCode}`, allowed: EVERYONE },
  'POST /api/verify': { allowed: EVERYONE },

  // Citizen portal.
  'GET /services': { allowed: EVERYONE },
  'GET /services/:key': { url: () => '/services/reference', allowed: EVERYONE },
  'GET /services/:key/apply': { url: () => '/services/reference/apply', allowed: CITIZENS },
  'POST /services/:key/apply': { url: () => '/services/reference/apply', allowed: CITIZENS },
  'GET /my-cases': { allowed: CITIZENS },
  'GET /my-cases/:id': [
    { url: (f) => `/my-cases/${f.refCase}`, allowed: ['party'] },
    { url: (f) => `/my-cases/${f.resCase}`, allowed: ['party'] },
  ],
  'GET /my-cases/:id/requests/:rid': {
    url: (f) => `/my-cases/${f.resCase}/requests/${f.infoRequest}`,
    allowed: ['party'],
  },
  'POST /my-cases/:id/requests/:rid': {
    url: (f) => `/my-cases/${f.resCase}/requests/${f.infoRequest}`,
    allowed: ['party'],
  },
  'GET /my-cases/:id/documents/:docId': {
    url: (f) => `/my-cases/${f.resCase}/documents/${f.resDoc}`,
    allowed: ['party'],
  },
  'GET /my-data/consultations': { allowed: CITIZENS },
  'GET /residence/declare': { allowed: CITIZENS },
  'POST /residence/declare': { allowed: CITIZENS },
  'GET /residence/cases/:caseId': {
    url: (f) => `/residence/cases/${f.resCase}`,
    allowed: ['party'],
  },
  'POST /residence/cases/:caseId/documents': {
    url: (f) => `/residence/cases/${f.resCase}/documents`,
    allowed: ['party'],
  },
  'GET /residence/cases/:caseId/documents/:documentId': {
    url: (f) => `/residence/cases/${f.resCase}/documents/${f.resDoc}`,
    allowed: ['party'],
  },
  'GET /residence/certificates': { allowed: CITIZENS },
  'POST /residence/certificates': { allowed: CITIZENS },
  'GET /residence/certificates/:caseId/document': {
    url: (f) => `/residence/certificates/${f.certCase}/document`,
    allowed: ['party'],
  },
  'GET /residence/annulments/:caseId': {
    url: (f) => `/residence/annulments/${f.annCase}`,
    allowed: ['party'],
  },
  'POST /residence/annulments/:caseId/response': {
    url: (f) => `/residence/annulments/${f.annCase}/response`,
    allowed: ['party'],
  },
  'GET /dev/e-adrese': { allowed: CITIZENS, national: true },
  'GET /dev/e-adrese/:message/files/:index': {
    url: () => `/dev/e-adrese/div-${randomUUID()}/files/0`,
    allowed: [],
    absent: true,
  },

  // Staff workspace: pages of no one case.
  'GET /workspace': { allowed: ALL_STAFF },
  'GET /workspace/dashboard': { allowed: inBoth('manager') },
  // The case list and its CSV: only cases of the processes the user may read.
  'GET /workspace/cases': [
    {
      allowed: inBoth('caseworker', 'caseworker:reference', 'manager'),
      hidden: CASE_LIST_HIDDEN,
      shown: CASE_LIST_SHOWN,
    },
    {
      url: () => '/workspace/cases?format=csv',
      allowed: inBoth('caseworker', 'caseworker:reference', 'manager'),
      hidden: CASE_LIST_HIDDEN,
      shown: CASE_LIST_SHOWN,
    },
  ],
  // Case files, tasks, documents and uploads: the case's municipality, process grant or manager.
  'GET /workspace/cases/:id': [
    { url: (f) => `/workspace/cases/${f.resCase}`, allowed: RESIDENCE_CASE },
    { url: (f) => `/workspace/cases/${f.refCase}`, allowed: REFERENCE_CASE },
    { url: (f) => `/workspace/cases/${f.annCase}`, allowed: RESIDENCE_CASE },
  ],
  'POST /workspace/cases/:id/requests': [
    { url: (f) => `/workspace/cases/${f.resCase}/requests`, allowed: RESIDENCE_CASE },
    { url: (f) => `/workspace/cases/${f.refCase}/requests`, allowed: REFERENCE_CASE },
  ],
  'POST /workspace/cases/:id/deadlines/:deadlineId/extend': {
    url: (f) => `/workspace/cases/${f.resCase}/deadlines/${f.deadline}/extend`,
    allowed: ['manager'],
  },
  'GET /workspace/cases/:id/documents/:docId': {
    url: (f) => `/workspace/cases/${f.resCase}/documents/${f.resDoc}`,
    allowed: RESIDENCE_CASE,
  },
  'GET /workspace/letters': {
    allowed: inBoth('caseworker', 'caseworker:reference', 'manager'),
    hidden: { 'caseworker:reference': (f) => [f.resNumber] },
    shown: { caseworker: (f) => [f.resNumber], manager: (f) => [f.resNumber] },
  },
  'GET /workspace/correspondence': {
    allowed: inBoth('caseworker', 'caseworker:reference', 'manager'),
    hidden: {
      'caseworker@B': () => [CORR_SUBJECT],
      'caseworker:reference@B': () => [CORR_SUBJECT],
      'manager@B': () => [CORR_SUBJECT],
    },
    shown: { caseworker: () => [CORR_SUBJECT], manager: () => [CORR_SUBJECT] },
  },
  'GET /workspace/correspondence/:id': {
    url: (f) => `/workspace/correspondence/${f.corr}`,
    allowed: ['caseworker', 'caseworker:reference', 'manager'],
  },
  'GET /workspace/correspondence/:id/files/:fileId': {
    url: (f) => `/workspace/correspondence/${f.corr}/files/${f.corrFile}`,
    allowed: ['caseworker', 'caseworker:reference', 'manager'],
  },
  // Registration commands are probed on a message already filed: an allowed caller gets 409 (or 422 for its input).
  'POST /workspace/correspondence/:id/attach': {
    url: (f) => `/workspace/correspondence/${f.corrDone}/attach`,
    allowed: ['caseworker', 'caseworker:reference', 'manager'],
  },
  'POST /workspace/correspondence/:id/open': {
    url: (f) => `/workspace/correspondence/${f.corrDone}/open`,
    allowed: ['caseworker', 'caseworker:reference', 'manager'],
    form: { processKey: 'reference', subjectRef: 'MATRIX-1' },
  },
  'POST /workspace/correspondence/:id/file': {
    url: (f) => `/workspace/correspondence/${f.corrDone}/file`,
    allowed: ['caseworker', 'caseworker:reference', 'manager'],
  },
  'POST /workspace/cases/:id/deliveries/:messageId/posted': {
    url: (f) => `/workspace/cases/${f.resCase}/deliveries/${f.letter}/posted`,
    allowed: RESIDENCE_CASE,
  },
  // Payments (issue 15 part 7): finance work is the manager's; a line is its case's (caseworker too).
  'GET /workspace/payments': { allowed: inBoth('manager') },
  'POST /workspace/payments/settings': { allowed: inBoth('manager') },
  'POST /workspace/payments/runs': { allowed: inBoth('manager') },
  'POST /workspace/payments/status-reports': { allowed: inBoth('manager') },
  'GET /workspace/payments/runs/:id': {
    url: (f) => `/workspace/payments/runs/${f.paymentRun}`,
    allowed: ['manager'],
  },
  'GET /workspace/payments/runs/:id/pain001': {
    url: (f) => `/workspace/payments/runs/${f.paymentRun}/pain001`,
    allowed: ['manager'],
  },
  'GET /workspace/payments/runs/:id/csv': {
    url: (f) => `/workspace/payments/runs/${f.paymentRun}/csv`,
    allowed: ['manager'],
  },
  'GET /workspace/payments/lines/:id': {
    url: (f) => `/workspace/payments/lines/${f.paymentLine}`,
    allowed: RESIDENCE_CASE,
  },
  'POST /workspace/payments/lines/:id/reissue': {
    url: (f) => `/workspace/payments/lines/${f.paymentLine}/reissue`,
    allowed: RESIDENCE_CASE,
  },
  'GET /workspace/attachments/:id': {
    url: (f) => `/workspace/attachments/${f.infoAttachment}`,
    allowed: RESIDENCE_CASE,
  },
  'GET /workspace/tasks/:id': [
    { url: (f) => `/workspace/tasks/${f.resTask}`, allowed: RESIDENCE_CASE },
    { url: (f) => `/workspace/tasks/${f.refTask}`, allowed: REFERENCE_CASE },
  ],
  // Claiming needs the task's role (caseworker) with its process grant: a manager decides escalated work only.
  'POST /workspace/tasks/:id/claim': [
    { url: (f) => `/workspace/tasks/${f.resDone}/claim`, allowed: ['caseworker'] },
    {
      url: (f) => `/workspace/tasks/${f.refDone}/claim`,
      allowed: ['caseworker', 'caseworker:reference'],
    },
  ],
  'POST /workspace/tasks/:id/release': [
    { url: (f) => `/workspace/tasks/${f.resDone}/release`, allowed: RESIDENCE_CASE },
    { url: (f) => `/workspace/tasks/${f.refDone}/release`, allowed: REFERENCE_CASE },
  ],
  'POST /workspace/tasks/:id/reassign': {
    url: (f) => `/workspace/tasks/${f.resDone}/reassign`,
    allowed: ['manager'],
  },
  'POST /workspace/tasks/:id/complete': [
    { url: (f) => `/workspace/tasks/${f.resDone}/complete`, allowed: RESIDENCE_CASE },
    { url: (f) => `/workspace/tasks/${f.refDone}/complete`, allowed: REFERENCE_CASE },
  ],

  // The task API: the same rules as the pages.
  'GET /api/tasks': {
    allowed: inBoth(
      'caseworker',
      'caseworker:reference',
      'manager',
      'council_secretary',
      'administrator',
    ),
  },
  'GET /api/tasks/:id': [
    { url: (f) => `/api/tasks/${f.resTask}`, allowed: RESIDENCE_CASE },
    { url: (f) => `/api/tasks/${f.refTask}`, allowed: REFERENCE_CASE },
  ],
  'POST /api/tasks/:id/claim': [
    { url: (f) => `/api/tasks/${f.resDone}/claim`, allowed: ['caseworker'] },
    {
      url: (f) => `/api/tasks/${f.refDone}/claim`,
      allowed: ['caseworker', 'caseworker:reference'],
    },
  ],
  'POST /api/tasks/:id/release': [
    { url: (f) => `/api/tasks/${f.resDone}/release`, allowed: RESIDENCE_CASE },
    { url: (f) => `/api/tasks/${f.refDone}/release`, allowed: REFERENCE_CASE },
  ],
  'POST /api/tasks/:id/reassign': {
    url: (f) => `/api/tasks/${f.resDone}/reassign`,
    json: { assigneeId: '00000000-0000-4000-8000-000000000000' },
    allowed: ['manager'],
  },
  'POST /api/tasks/:id/complete': [
    {
      url: (f) => `/api/tasks/${f.resDone}/complete`,
      json: { decision: {} },
      allowed: RESIDENCE_CASE,
    },
    {
      url: (f) => `/api/tasks/${f.refDone}/complete`,
      json: { decision: {} },
      allowed: REFERENCE_CASE,
    },
  ],

  // Residence register (LV): staff pages of the register, and case-bound downloads.
  'GET /social-assistance/apply': { allowed: CITIZENS },
  'GET /social-assistance/apply/:step': {
    url: () => '/social-assistance/apply/household',
    allowed: CITIZENS,
  },
  'POST /social-assistance/apply/:step': {
    url: () => '/social-assistance/apply/household',
    allowed: CITIZENS,
  },
  'POST /social-assistance/apply/housing/bills': { allowed: CITIZENS },
  'POST /social-assistance/apply/housing/bills/:billId/delete': {
    url: () => `/social-assistance/apply/housing/bills/${randomUUID()}/delete`,
    allowed: [],
    absent: true,
  },
  'GET /social-assistance/apply/housing/bills/:billId': {
    url: (f) => `/social-assistance/apply/housing/bills/${f.saBill}`,
    allowed: ['party'],
  },
  'GET /social-assistance/applications/:id': {
    url: (f) => `/social-assistance/applications/${f.saApp}`,
    allowed: ['party'],
  },
  // The fixture's application is a draft (no case): a case id nobody applied with is not found to
  // everyone; the applicant's own case pages are covered by test/integration/social-assistance/process.test.ts.
  'GET /social-assistance/cases/:caseId': {
    url: () => `/social-assistance/cases/${randomUUID()}`,
    allowed: [],
    absent: true,
  },
  'POST /social-assistance/cases/:caseId/information': {
    url: () => `/social-assistance/cases/${randomUUID()}/information`,
    allowed: [],
    absent: true,
  },
  'GET /social-assistance/cases/:caseId/documents/:documentId': {
    url: () => `/social-assistance/cases/${randomUUID()}/documents/${randomUUID()}`,
    allowed: [],
    absent: true,
  },
  // The applicant's own case files: test/integration/social-assistance-application/case-page.test.ts.
  'GET /social-assistance/cases/:caseId/files/:fileId': {
    url: () => `/social-assistance/cases/${randomUUID()}/files/${randomUUID()}`,
    allowed: [],
    absent: true,
  },
  'GET /workspace/social-assistance/applications/new': { allowed: SA_STAFF },
  'POST /workspace/social-assistance/applications/new': { allowed: SA_STAFF },
  'GET /workspace/social-assistance/applications/:id': { url: saApp, allowed: SA_APPLICATION },
  'GET /workspace/social-assistance/applications/:id/:step': {
    url: (f) => `${saApp(f)}/household`,
    allowed: SA_APPLICATION,
  },
  'POST /workspace/social-assistance/applications/:id/:step': {
    url: (f) => `${saApp(f)}/household`,
    allowed: SA_APPLICATION,
  },
  'POST /workspace/social-assistance/applications/:id/housing/bills': {
    url: (f) => `${saApp(f)}/housing/bills`,
    allowed: SA_APPLICATION,
  },
  'POST /workspace/social-assistance/applications/:id/housing/bills/:billId/delete': {
    url: (f) => `${saApp(f)}/housing/bills/${randomUUID()}/delete`,
    allowed: [],
    absent: true,
  },
  'GET /workspace/social-assistance/applications/:id/housing/bills/:billId': {
    url: (f) => `${saApp(f)}/housing/bills/${f.saBill}`,
    allowed: SA_APPLICATION,
  },
  'GET /workspace/residence/declare': { allowed: RESIDENCE_STAFF },
  'POST /workspace/residence/declare': { allowed: RESIDENCE_STAFF },
  // A permanent redirect to /workspace/cases/:id, which decides (and refuses B).
  'GET /workspace/residence/cases/:caseId': {
    url: (f) => `/workspace/residence/cases/${f.resCase}`,
    allowed: RESIDENCE_STAFF,
  },
  'GET /workspace/residence/attachments/:id': {
    url: (f) => `/workspace/residence/attachments/${f.resUpload}`,
    allowed: RESIDENCE_CASE,
  },
  // Person look-ups (issue 12 M7): residence caseworkers and managers only; the GETs are empty forms (L1).
  'GET /workspace/residence/persons': { allowed: RESIDENCE_STAFF },
  'POST /workspace/residence/persons': { allowed: RESIDENCE_STAFF },
  'GET /workspace/residence/persons/:code': {
    url: () => `/workspace/residence/persons/${DEV_CITIZEN.code}`,
    allowed: RESIDENCE_STAFF,
  },
  // The resident is party to A's cases (D7): B's staff do not see them.
  'POST /workspace/residence/persons/card': {
    form: { code: DEV_CITIZEN.code, purpose: 'counter-service' },
    allowed: RESIDENCE_CASE,
  },
  'GET /workspace/residence/annulments/new': { allowed: RESIDENCE_STAFF },
  'POST /workspace/residence/annulments': { allowed: RESIDENCE_STAFF },
  'GET /workspace/residence/certificates': { allowed: RESIDENCE_STAFF },
  'POST /workspace/residence/certificates': { allowed: RESIDENCE_STAFF },
  'GET /workspace/residence/certificates/:caseId/document': {
    url: (f) => `/workspace/residence/certificates/${f.certCase}/document`,
    allowed: RESIDENCE_CASE,
  },
  'GET /workspace/residence/lists': { allowed: RESIDENCE_STAFF },
  'GET /workspace/residence/lists/': {
    url: () => '/workspace/residence/lists/',
    allowed: RESIDENCE_STAFF,
  },
  'GET /workspace/residence/lists/:kind': {
    url: () => '/workspace/residence/lists/persons',
    allowed: RESIDENCE_STAFF,
  },
  'POST /workspace/residence/lists/:kind/saved': {
    url: () => '/workspace/residence/lists/persons/saved',
    allowed: RESIDENCE_STAFF,
  },
  'GET /workspace/residence/lists/:kind/export.csv': {
    url: () => '/workspace/residence/lists/persons/export.csv',
    allowed: RESIDENCE_STAFF,
  },
  'GET /workspace/residence/lists/:kind/export.xlsx': {
    url: () => '/workspace/residence/lists/persons/export.xlsx',
    allowed: RESIDENCE_STAFF,
  },
  'GET /workspace/residence/statistics': { allowed: RESIDENCE_STAFF },
  'GET /workspace/residence/statistics/': {
    url: () => '/workspace/residence/statistics/',
    allowed: RESIDENCE_STAFF,
  },
  'GET /workspace/residence/statistics/export.csv': { allowed: RESIDENCE_STAFF },

  // Social assistance (LV, issue 15): the what-if calculator holds no case data; its caseworkers
  // (the all-process caseworker included) and managers, in every LV municipality (B is LV too).
  'POST /api/social-assistance/calculations': {
    json: {
      asOf: '2026-01-15',
      members: [{ id: 'a', birthDate: '1980-01-01', roles: [] }],
      incomes: [],
      assets: { savingsCents: 0, cars: 0, otherRealEstate: 0 },
      housingCosts: [],
    },
    allowed: SOCIAL_ASSISTANCE_STAFF,
  },
  'GET /workspace/social-assistance/calculator': { allowed: SOCIAL_ASSISTANCE_STAFF },
  // Statistics and the ministry report: aggregates of the municipality's own awards and lines.
  'GET /workspace/social-assistance/statistics': { allowed: SOCIAL_ASSISTANCE_STAFF },
  'GET /workspace/social-assistance/statistics/export.csv': { allowed: SOCIAL_ASSISTANCE_STAFF },
  'GET /workspace/social-assistance/statistics/export.xlsx': { allowed: SOCIAL_ASSISTANCE_STAFF },
  'GET /workspace/social-assistance/statistics/report.xlsx': {
    url: () => '/workspace/social-assistance/statistics/report.xlsx?report=2026-Q1',
    allowed: SOCIAL_ASSISTANCE_STAFF,
  },
  'GET /workspace/social-assistance/statistics/report.csv': {
    url: () => '/workspace/social-assistance/statistics/report.csv?report=2026',
    allowed: SOCIAL_ASSISTANCE_STAFF,
  },
  // The status API answers API clients (HTTP Basic client credentials), never a session: 401 for
  // every signed-in kind (test/integration/social-assistance/status-api.test.ts covers the clients).
  'GET /api/social-assistance/status': {
    url: () => '/api/social-assistance/status?personalCode=010190-10003&status=needy&on=2026-01-15',
    allowed: [],
  },
  // The integrity monitor's findings: the list in either municipality (each sees its own), one
  // finding of A to A's staff; an empty stop or dismissal is refused for its input (nothing changes).
  'GET /workspace/social-assistance/findings': { allowed: SOCIAL_ASSISTANCE_STAFF },
  'GET /workspace/social-assistance/findings/:id': {
    url: (f) => `/workspace/social-assistance/findings/${f.saFinding}`,
    allowed: SA_APPLICATION,
  },
  'POST /workspace/social-assistance/findings/:id/stop': {
    url: (f) => `/workspace/social-assistance/findings/${f.saFinding}/stop`,
    form: {},
    allowed: SA_APPLICATION,
  },
  'POST /workspace/social-assistance/findings/:id/dismiss': {
    url: (f) => `/workspace/social-assistance/findings/${f.saFinding}/dismiss`,
    form: {},
    allowed: SA_APPLICATION,
  },
  'POST /workspace/social-assistance/calculator': {
    form: { asOf: '2026-01-15', 'member-0-birthDate': '1980-01-01' },
    allowed: SOCIAL_ASSISTANCE_STAFF,
  },

  // Persons API (register look-ups of the municipality's residents, issue 12 M7): POSTs with a purpose of the list.
  'POST /api/persons/search': { json: {}, allowed: inBoth('caseworker', 'manager') },
  'POST /api/persons/:id/card': {
    url: (f) => `/api/persons/${f.personId}/card`,
    json: { purpose: 'counter-service' },
    allowed: ['caseworker', 'manager'],
  },

  // Administration of the municipality.
  'GET /admin': { allowed: inBoth('administrator') },
  'GET /admin/users': { allowed: inBoth('administrator') },
  'POST /admin/users': { allowed: inBoth('administrator') },
  'POST /admin/users/:id/roles': {
    url: (f) => `/admin/users/${f.spareAccount}/roles`,
    form: { role: 'deputy', op: 'grant' },
    allowed: ['administrator'],
  },
  'GET /admin/directory': { allowed: inBoth('administrator') },
  // An empty form: refused as invalid (422) after authorisation, nothing stored.
  'POST /admin/directory': { allowed: inBoth('administrator') },
  // No directory configured in either municipality: the test reports it (422) after authorisation.
  'POST /admin/directory/test': { allowed: inBoth('administrator') },
  'GET /admin/calendar': { allowed: inBoth('administrator') },
  'POST /admin/calendar': { allowed: inBoth('administrator') },
  'POST /admin/calendar/:id/remove': {
    url: () => `/admin/calendar/${randomUUID()}/remove`,
    allowed: [],
    absent: true,
  },
  'GET /admin/parameters': { allowed: inBoth('administrator') },
  // Deadline rules are national: every municipal administrator is refused.
  'POST /admin/parameters': { allowed: [] },
  'POST /admin/parameters/values': { allowed: inBoth('administrator') },
  // API clients: each administrator lists and creates their own municipality's (an empty form is
  // refused for its input); only A's administrator finds A's client to revoke.
  'GET /admin/api-clients': { allowed: inBoth('administrator') },
  'POST /admin/api-clients': { allowed: inBoth('administrator') },
  'GET /admin/api-clients/:id/revoke': {
    url: (f) => `/admin/api-clients/${f.apiClient}/revoke`,
    allowed: ['administrator'],
  },
  'POST /admin/api-clients/:id/revoke': {
    url: (f) => `/admin/api-clients/${f.apiClient}/revoke`,
    allowed: ['administrator'],
  },
  'GET /admin/templates': { allowed: inBoth('administrator') },
  'GET /admin/templates/:process/:doc/preview': {
    url: () => '/admin/templates/generic/notice/preview',
    allowed: inBoth('administrator'),
  },
  'GET /admin/deliveries': { allowed: inBoth('administrator') },
  'POST /admin/deliveries/:id/retry': {
    url: (f) => `/admin/deliveries/${f.delivery}/retry`,
    allowed: ['administrator'],
  },
  'POST /api/admin/accounts/:accountId/disable': {
    url: (f) => `/api/admin/accounts/${f.spareAccount}/disable`,
    allowed: ['administrator'],
  },
  'POST /api/admin/accounts/:accountId/enable': {
    url: (f) => `/api/admin/accounts/${f.spareAccount}/enable`,
    allowed: ['administrator'],
  },
  // Register simulators' failure switches (development installations only).
  'GET /api/dev/simulators': { allowed: inBoth('administrator') },
  'PUT /api/dev/simulators/:name/faults': {
    url: () => '/api/dev/simulators/population/faults',
    json: {},
    allowed: inBoth('administrator'),
  },
  'POST /api/dev/simulators/:name/reset': {
    url: () => '/api/dev/simulators/population/reset',
    allowed: inBoth('administrator'),
  },
};

interface Identity {
  cookie: string;
  csrf: string;
}

let h: ResidenceHarness;
let routes: Route[];
let f: Fixture;
const who = new Map<Kind, Identity>();
/** Strings that only A's data contains: none may appear in an answer to B's users. */
let aSecrets: string[];

const GRANTS: Record<(typeof STAFF_ROLES)[number], GrantSpec[]> = {
  caseworker: ['caseworker'],
  'caseworker:reference': [{ role: 'caseworker', process: 'reference' }],
  manager: ['manager'],
  council_secretary: ['council_secretary'],
  deputy: ['deputy'],
  administrator: ['administrator'],
};

/** How to sign each kind of user in afresh. */
const fresh = new Map<Kind, () => Promise<Identity>>();

const cookieOf = (b: Browser): string => [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

async function citizen(
  municipalityId: string,
  code: string,
): Promise<Identity & { accountId: string }> {
  const b = await signInCitizen(h.running.url, municipalityId, code);
  const s = (await (await b.get('/api/auth/session', { accept: 'application/json' })).json()) as {
    csrfToken: string;
    user: { accountId: string };
  };
  return { cookie: cookieOf(b), csrf: s.csrfToken, accountId: s.user.accountId };
}

beforeAll(async () => {
  // As in production: administrators work only in a session that passed a second factor
  // (signInStaff enrols them and signs in with a recovery code).
  h = await startResidenceApp({ ADMIN_TOTP_REQUIRED: 'true' });
  await seedDevResidents(h);
  routes = routesOf(h.running.app);
  const A = h.municipalityId;
  const B = (await createMunicipality(h.owner)).id;
  const [{ code }] = await h.owner.query<{ code: string }[]>(
    `SELECT code FROM municipalities WHERE id = $1`,
    [A],
  );
  await setRegisterTerritory(h.owner, code, 'Tukuma novads', 'access-matrix');

  for (const role of STAFF_ROLES) {
    for (const [suffix, mid] of [
      ['', A],
      ['@B', B],
    ] as const) {
      fresh.set(`${role}${suffix}` as Kind, async () => {
        const s = await signInStaff(h.running.app, mid, GRANTS[role]);
        return { cookie: s.headers.cookie, csrf: s.csrf };
      });
    }
  }
  fresh.set('party', () => citizen(A, DEV_CITIZEN.code));
  fresh.set('party@B', () => citizen(B, DEV_CITIZEN.code));
  fresh.set('citizen', () => citizen(A, '220790-14568'));
  fresh.set('anonymous', async () => {
    const anon = await fetch(`${h.running.url}/api/auth/session`);
    return {
      cookie: anon.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; '),
      csrf: ((await anon.json()) as { csrfToken: string }).csrfToken,
    };
  });
  for (const [kind, make] of fresh) who.set(kind, await make());
  const party = who.get('party') as Identity & { accountId: string };
  const cw = await signInStaff(h.running.app, A, ['caseworker']);

  // The party declares online, on a lease of someone else's flat: a caseworker reviews it.
  const flat = await h.sim.apartment([{ code: await h.sim.person('1955-05-05'), name: 'Owner' }]);
  const form = await (await send('party', 'GET', '/residence/declare')).text;
  const declared = await send('party', 'POST', '/residence/declare', {
    form: {
      _csrf: csrfIn(form),
      submissionKey: randomUUID(),
      includeSelf: 'yes',
      addressCode: flat.code,
      basis: 'lease',
      basisNote: 'Lease',
    },
  });
  expect(declared.status).toBe(303);
  const resCase = declared.location!.split('/').pop()!;
  const resTask = (await h.openTask(resCase)).id;
  const refCase = (
    await h.cases.open({
      municipalityId: A,
      processKey: 'reference',
      title: 'Reference: matrix',
      applicantRef: party.accountId,
      actor: party.accountId,
      input: { subjectRef: 'matrix-1', note: '' },
    })
  ).id;
  const refTask = (await h.openTask(refCase)).id;
  // A completed task on each case: task commands are probed on it, so nothing changes.
  const done = (caseId: string, processKey: string, formKey: string) =>
    h.tenantDb.run(
      A,
      async (em) =>
        (
          await em.save(
            em.create(Task, {
              municipalityId: A,
              caseId,
              step: 'matrix-done',
              processKey,
              role: 'caseworker',
              formKey,
              title: 'Done',
              status: 'completed',
              dueAt: new Date(),
              decision: {},
              completedAt: new Date(),
            }),
          )
        ).id,
    );
  const doc = await h.running.app.get(DocumentService).issue({
    municipalityId: A,
    caseId: resCase,
    stepKey: 'matrix-notice',
    templateKey: 'generic/notice',
    data: TEMPLATES['generic/notice'].sample,
  });
  const bytes = Buffer.from('%PDF-1.4\n% lease\n');
  const upload = await h.tenantDb.run(A, (em) =>
    em.save(
      em.create(ResidenceAttachment, {
        municipalityId: A,
        caseId: resCase,
        fileName: 'lease.pdf',
        mimeType: 'application/pdf',
        sizeBytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        content: bytes,
        uploadedBy: party.accountId,
      }),
    ),
  );
  const infoRequests = h.running.app.get(InfoRequestService);
  const request = await infoRequests.ask(
    A,
    resCase,
    cw.accountId,
    'Please send the owner’s consent.',
    10,
  );
  await infoRequests.answer(A, request.id, party.accountId, 'Attached.', [
    { originalname: 'consent.pdf', mimetype: 'application/pdf', size: bytes.length, buffer: bytes },
  ]);
  const [attachment] = (await h.tenantDb.run(A, (em) =>
    em.query(`SELECT id FROM information_attachments WHERE request_id = $1`, [request.id]),
  )) as { id: string }[];
  const [deadline] = (await h.tenantDb.run(A, (em) =>
    em.query(`SELECT id FROM deadlines WHERE case_id = $1`, [resCase]),
  )) as { id: string }[];
  const [delivery] = (await h.tenantDb.run(A, (em) =>
    em.query(`SELECT id FROM outbox_messages WHERE case_id = $1 LIMIT 1`, [resCase]),
  )) as { id: string }[];
  const letter = await h.running.app
    .get<symbol, DeliveryActivities>(DELIVERY_ACTIVITIES)
    .notifyParty({
      caseId: resCase,
      municipalityId: A,
      key: 'matrix-letter',
      party: { name: 'Pēteris Kļaviņš', postalAddress: 'Pils iela 1, Tukums, LV-3101' },
      message: {
        subjectKey: 'residence:messages.owner.subject',
        bodyKey: 'residence:messages.owner.body',
        vars: { address: 'Pils iela 1', count: 1, date: '2026-01-01' },
      },
    });
  const annCase = (
    await h.residence.startAnnulment({
      municipalityId: A,
      personCode: DEV_CITIZEN.code,
      initiatedBy: 'ex-officio',
      groundCode: 'no-legal-basis',
      grounds: 'Does not live there.',
      enteredBy: cw.accountId,
    })
  ).caseId;
  const cert = await h.running.app.get(ResidenceCertificatesService).request({
    municipalityId: A,
    kind: 'declared',
    requesterCode: DEV_CITIZEN.code,
    lang: 'lv',
    enteredBy: party.accountId,
  });
  const person = await h.tenantDb.run(
    A,
    async (em) =>
      (await em.findOne(Person, { where: { personalCode: DEV_CITIZEN.code } })) ??
      em.save(
        em.create(Person, {
          municipalityId: A,
          personalCode: DEV_CITIZEN.code,
          givenName: 'Pēteris',
          familyName: 'Kļaviņš',
        }),
      ),
  );
  const spare = await signInStaff(h.running.app, A, ['deputy']);
  const incoming = async (status: 'registration' | 'filed') =>
    h.tenantDb.run(A, async (em) => {
      const m = await em.save(
        em.create(IncomingMessage, {
          municipalityId: A,
          divMessageId: randomUUID(),
          senderEAddress: `_PRIVATE@${DEV_CITIZEN.code.replace('-', '')}`,
          senderCode: DEV_CITIZEN.code,
          senderRef: `IN-${status}`,
          subject: CORR_SUBJECT,
          body: 'Sveiki!',
          references: [],
          status,
          sentOn: new Date(),
        }),
      );
      const file = await em.save(
        em.create(IncomingMessageFile, {
          municipalityId: A,
          messageId: m.id,
          fileName: 'vestule.pdf',
          mimeType: 'application/pdf',
          sizeBytes: 9,
          sha256: createHash('sha256').update('%PDF-1.4\n').digest('hex'),
          content: Buffer.from('%PDF-1.4\n'),
        }),
      );
      return { id: m.id, file: file.id };
    });
  const corr = await incoming('registration');
  const corrDone = await incoming('filed');
  const payments = h.running.app.get(PaymentsService);
  await payments.saveSettings(A, { debtorIban: 'LV83BANK0000100000001' });
  const { lineId: paymentLine } = await payments.schedule({
    municipalityId: A,
    caseId: resCase,
    key: 'access-matrix',
    payee: { kind: 'resident', name: 'Access Matrix', iban: 'LV80BANK0000435195001' },
    amountCents: 100,
    dueMonth: '2026-01',
    remittance: 'access matrix',
  });
  const { run: paymentRun } = await payments.startRun(A, 'access-matrix', { month: '2026-01' });
  const applications = h.running.app.get(SocialAssistanceApplicationService);
  const saDraft = await applications.startDraft({
    municipalityId: A,
    applicantCode: DEV_CITIZEN.code,
    applicantName: 'Pēteris Kļaviņš',
    channel: 'online',
    enteredBy: party.accountId,
    lang: 'lv',
  });
  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
  await applications.addBills(
    saDraft,
    [{ originalname: 'rekins.pdf', mimetype: 'application/pdf', size: pdf.length, buffer: pdf }],
    'heating',
    party.accountId,
  );
  const [saBill] = await applications.bills(saDraft);
  const saAward = await createAward(h.running.app, A, {
    holderCode: DEV_CITIZEN.code,
    validFrom: '2026-01-01',
    validUntil: '2026-06-30',
    input: {
      asOf: '2026-01-01',
      members: [{ id: 'a', birthDate: '1980-01-01', roles: [] }],
      incomes: [],
      assets: { savingsCents: 0, cars: 0, otherRealEstate: 0 },
      housingCosts: [],
    },
  });
  const saFinding = await h.tenantDb.run(A, (em) =>
    em.save(
      em.create(SocialAssistanceAwardFinding, {
        municipalityId: A,
        awardId: saAward.award.id,
        caseId: saAward.caseId,
        kind: 'holder-died',
        personCode: DEV_CITIZEN.code,
        details: { deceasedOn: '2026-02-01' },
        foundOn: '2026-02-02',
      }),
    ),
  );
  const { client: apiClient } = await h.running.app.get(ApiClientsService).create({
    municipalityId: A,
    name: 'Matrix client',
    scopes: ['social-assistance.status'],
    createdBy: 'matrix',
  });
  f = {
    resCase,
    resTask,
    resDone: await done(resCase, 'residence-declaration', 'residence.review'),
    resDoc: doc.id,
    resUpload: upload.id,
    infoAttachment: attachment.id,
    infoRequest: request.id,
    deadline: deadline.id,
    refCase,
    refTask,
    refDone: await done(refCase, 'reference', 'reference.review'),
    annCase,
    certCase: cert.caseId,
    verificationCode: doc.verificationCode,
    resNumber: '',
    refNumber: '',
    personId: person.id,
    spareAccount: spare.accountId,
    delivery: delivery.id,
    letter: letter!.messageId,
    corr: corr.id,
    corrFile: corr.file,
    corrDone: corrDone.id,
    paymentRun: paymentRun.id,
    paymentLine,
    saApp: saDraft.id,
    saBill: saBill.id,
    saFinding: saFinding.id,
    apiClient: apiClient.id,
  };
  const numbers = (await h.tenantDb.run(A, (em) =>
    em.query(`SELECT id, number FROM cases WHERE id = ANY($1::uuid[])`, [
      [resCase, refCase, annCase, cert.caseId],
    ]),
  )) as { id: string; number: string }[];
  f.resNumber = numbers.find((n) => n.id === resCase)!.number;
  f.refNumber = numbers.find((n) => n.id === refCase)!.number;
  aSecrets = [
    resCase,
    refCase,
    annCase,
    cert.caseId,
    resTask,
    refTask,
    corr.id,
    CORR_SUBJECT,
    paymentLine,
    paymentRun.msgId,
    ...numbers.map((n) => n.number),
  ];
});
afterAll(() => h?.close());

interface Answer {
  status: number;
  text: string;
  location: string | null;
}

async function send(
  kind: Kind,
  method: string,
  url: string,
  body: { form?: Record<string, string>; json?: unknown } = {},
): Promise<Answer> {
  const id = who.get(kind)!;
  const headers: Record<string, string> = {
    accept: 'text/html',
    'accept-language': 'en',
    'x-csrf-token': id.csrf,
  };
  if (id.cookie) headers.cookie = id.cookie;
  let data: string | undefined;
  if (method !== 'GET') {
    if (body.json !== undefined) {
      headers['content-type'] = 'application/json';
      data = JSON.stringify(body.json);
    } else {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      data = new URLSearchParams(body.form ?? {}).toString();
    }
  }
  const res = await fetch(`${h.running.url}${url}`, {
    method,
    headers,
    body: data,
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

const key = (r: Route): string => `${r.method} ${r.path}`;
/** Session-ending routes go last, so every other probe runs signed in. */
// Both end the caller's session (a sign-in tried while signed in signs the old user out first): they go
// last, each tried with a new session of its own (anonymous: both are open to all, and signing every kind
// in again would run into the sign-in rate limit of this address).
const rank = (r: Route): number =>
  r.method !== 'POST' ? 0 : r.path === '/auth/sign-in' ? 1 : r.path === '/auth/sign-out' ? 2 : 0;

function outcome(method: string, a: Answer): 'allowed' | 'refused' | 'broken' {
  const { status } = a;
  if (status >= 500 || status === 0) return 'broken';
  if ([401, 403, 404].includes(status)) return 'refused';
  // A page sends a signed-out browser to the sign-in page: a refusal.
  if (method === 'GET' && status >= 300 && status < 400 && a.location?.startsWith('/auth/sign-in'))
    return 'refused';
  if (status < 400) return 'allowed';
  // A request refused for its input or state (not for who sent it) got past authorisation.
  return [400, 409, 413, 415, 422].includes(status) ? 'allowed' : 'broken';
}

describe('access matrix (issue 12)', () => {
  it('has a row for every route of the router, and no row for a route that does not exist', () => {
    expect(routes.length).toBeGreaterThan(50);
    const known = new Set(routes.map(key));
    expect(routes.map(key).filter((k) => !(k in ROWS))).toEqual([]);
    expect(Object.keys(ROWS).filter((k) => !known.has(k))).toEqual([]);
  });

  it('answers every route as the table says, for every kind of user; never a 5xx, never A’s data to B', async () => {
    const problems: string[] = [];
    const ordered = [...routes].sort((a, b) => rank(a) - rank(b));
    for (const r of ordered) {
      const row = ROWS[key(r)];
      if (!row) continue;
      for (const probe of Array.isArray(row) ? row : [row]) {
        const url = probe.url ? probe.url(f) : r.path;
        for (const kind of KINDS) {
          if (rank(r) > 0) who.set(kind, await fresh.get('anonymous')!());
          const a = await send(kind, r.method, url, { json: probe.json, form: probe.form });
          const got = outcome(r.method, a);
          const want = probe.allowed.includes(kind) ? 'allowed' : 'refused';
          if (probe.limited && a.status === 429) continue;
          if (probe.absent) {
            if (a.status < 300 || got === 'broken')
              problems.push(
                `${kind} ${r.method} ${url}: ${a.status} for something that does not exist`,
              );
          } else if (got !== want)
            problems.push(`${kind} ${r.method} ${url}: ${a.status}, expected ${want}`);
          for (const secret of (a.status < 300 && probe.hidden?.[kind]?.(f)) || [])
            if (a.text.includes(secret))
              problems.push(`${kind} ${r.method} ${url}: ${a.status} shows ${secret}`);
          for (const wanted of probe.shown?.[kind]?.(f) ?? [])
            if (!a.text.includes(wanted))
              problems.push(`${kind} ${r.method} ${url}: ${a.status} does not show ${wanted}`);
          if (kind.endsWith('@B') && a.status < 300 && !probe.national) {
            const leaked = aSecrets.find((s) => a.text.includes(s));
            if (leaked)
              problems.push(
                `${kind} ${r.method} ${url}: ${a.status} shows ${leaked} of municipality A`,
              );
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
