import type { DeliveryActivities } from '../../../activities/delivery';
import { DELIVERY_ACTIVITIES } from '../../../src/delivery/delivery.module';
import type { Page } from 'playwright-core';
import { InfoRequestService } from '../../../src/workspace/info-requests/info-request.service';
import { IncomingMessage } from '../../../src/correspondence/incoming-message.entity';
import { SocialAssistanceApplicationService } from '../../../src/modules/social-assistance/application/application.service';
import { PaymentsService } from '../../../src/payments/payments.service';
import { SocialAssistanceAwardFinding } from '../../../src/modules/social-assistance/awards/award-finding.entity';
import {
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  type TestBrowser,
} from '../../support/browser';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { citizenSignIn, staffSignIn } from '../workspace/e2e-support';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { ApiClientsService } from '../../../src/platform/api-clients/api-clients.service';
import {
  createAward as createAwardWithInput,
  createAwardFigures,
  createAwardPaymentLine,
} from '../../factories/awards';
import { submitApplication } from '../../factories/social-assistance-applications';

// Every page in three languages with axe: minutes on a loaded 2-core machine; the limit only catches a hang.
jest.setTimeout(900_000);

/**
 * Every HTML page the application serves, visited in Chromium by the kind of user it is for:
 * axe-core finds no serious or critical violations, and in lv, en and el the visible text holds
 * no untranslated `namespace:key`. The list of pages is checked against the router, so a new
 * page fails this test until it is added here (or listed as not a page, with the reason).
 */
const CITIZEN = DEV_CITIZEN.code;

/** GET routes that are not HTML pages (or cannot be visited as one), with why. */
const NOT_PAGES: Record<string, string> = {
  '/{*path}': 'static assets',
  '/health': 'JSON health check',
  '/auth/sign-in/code':
    'the second sign-in step exists only after a password; test/e2e/auth/two-factor.e2e.test.ts checks it (axe, lv/en/el)',
  '/auth/oidc/callback': 'OIDC redirect target, not a page',
  '/admin/templates/:process/:doc/preview':
    'a rendered document (HTML/PDF preview), not an application page',
  '/workspace/cases/:id/documents/:docId': 'PDF download',
  '/workspace/attachments/:id': 'file download',
  '/workspace/residence/attachments/:id': 'file download',
  '/my-cases/:id/documents/:docId': 'PDF download',
  '/residence/cases/:caseId/documents/:documentId': 'PDF download',
  '/residence/certificates/:caseId/document': 'PDF download',
  '/workspace/residence/certificates/:caseId/document': 'PDF download',
  '/workspace/residence/lists/:kind/export.csv': 'CSV export',
  '/workspace/residence/lists/:kind/export.xlsx': 'XLSX export',
  '/workspace/residence/statistics/export.csv': 'CSV export',
  '/dev/e-adrese/:message/files/:index': 'file download (the simulated e-address inbox)',
  '/workspace/correspondence/:id/files/:fileId': 'file download',
  '/workspace/payments/runs/:id/pain001': 'XML download (pain.001)',
  '/workspace/payments/runs/:id/csv': 'CSV export',
  '/social-assistance/apply/housing/bills/:billId': 'file download',
  '/workspace/social-assistance/applications/:id/housing/bills/:billId': 'file download',
  '/workspace/social-assistance/statistics/export.csv': 'CSV export',
  '/workspace/social-assistance/statistics/export.xlsx': 'XLSX export',
  '/workspace/social-assistance/statistics/report.xlsx': 'XLSX export (the ministry report)',
  '/workspace/social-assistance/statistics/report.csv': 'CSV export (the ministry report)',
  '/social-assistance/cases/:caseId/documents/:documentId': 'file download',
  '/social-assistance/cases/:caseId/files/:fileId': 'file download',
};

type Who = 'anonymous' | 'citizen' | 'staff';
interface Visit {
  route: string;
  who: Who;
  path: string;
}

let h: ResidenceHarness;
let b: TestBrowser;
beforeAll(async () => {
  h = await startResidenceApp();
  b = await launchBrowser();
  await seedDevResidents(h);
});
afterAll(async () => {
  await b?.close();
  await h?.close();
});

function getRoutes(): string[] {
  const server = h.running.app.getHttpAdapter().getInstance();
  const stack = (server.router ?? server._router).stack as {
    route?: { path: string; methods: Record<string, boolean> };
  }[];
  // A controller's root route may be listed with a trailing slash: one page either way.
  const paths = stack
    .filter((l) => l.route?.methods.get)
    .map((l) => l.route!.path.replace(/(?<=.)\/$/, ''));
  return [...new Set(paths)].filter((p) => !p.startsWith('/api/'));
}

const RAW_KEY = /\b[a-z][a-z-]*:[a-z][a-zA-Z-]*\.[a-zA-Z.-]+\b/;
/** A timeline or stage name shown as its code because no translation was found. */
const RAW_KIND =
  /\b(?:case|task|delivery|deadline|document|registry|residence|info)\.[a-z][a-z_-]+\b/;

it('every page passes axe-core and shows no untranslated keys, for the user it is for', async () => {
  const url = h.running.url;
  const citizen = await b.newPage();
  await citizen.goto(`${url}/auth/sign-in?lang=en`);
  await citizenSignIn(citizen, h.municipalityId, CITIZEN);

  // Fixtures: the citizen's declaration under review, a request for information on it, an
  // annulment of his current residence (from the demo seed), and a sealed certificate to verify.
  const owner = await h.sim.person('1948-08-08', 'Ilze', 'Bērziņa');
  const flat = await h.sim.apartment([{ code: owner, name: 'Ilze Bērziņa' }]);
  await citizen.goto(`${url}/residence/declare?lang=en`);
  await citizen.locator('#addressCode').fill(flat.code);
  await citizen.locator('#basis-lease').check();
  await citizen.getByTestId('declare-submit').click();
  await citizen.waitForURL(/\/residence\/cases\//);
  const caseId = citizen.url().split('/residence/cases/')[1];
  const task = await h.openTask(caseId);
  const info = await h.running.app
    .get(InfoRequestService)
    .ask(h.municipalityId, caseId, 'system', 'Please upload the lease contract.', 10);
  // A letter waiting to be posted: on the case page and in the letters to print.
  await h.running.app.get<symbol, DeliveryActivities>(DELIVERY_ACTIVITIES).notifyParty({
    caseId,
    municipalityId: h.municipalityId,
    key: 'page-letter',
    party: { name: 'Ilze Bērziņa', postalAddress: flat.text },
    message: {
      subjectKey: 'residence:messages.owner.subject',
      bodyKey: 'residence:messages.owner.body',
      vars: { address: flat.text, count: 1, date: '2026-01-01' },
    },
  });
  const { caseId: annulmentCaseId } = await h.residence.startAnnulment({
    municipalityId: h.municipalityId,
    personCode: CITIZEN,
    initiatedBy: 'ex-officio',
    groundCode: 'no-legal-basis',
    grounds: 'Mail returned',
    enteredBy: h.caseworker.accountId,
  });
  await h.openTask(annulmentCaseId).catch(() => undefined);
  const [cert] = await h.tenantDb.run(h.municipalityId, (em) =>
    em.query(`SELECT verification_code FROM documents LIMIT 1`),
  );
  const verifyCode: string = cert?.verification_code ?? (await issueOneCertificate(citizen, url));

  // Incoming e-address mail waiting for registration; a payment run with one line; an application draft.
  const mail = await h.tenantDb.run(h.municipalityId, (em) =>
    em.save(
      em.create(IncomingMessage, {
        municipalityId: h.municipalityId,
        divMessageId: `page-${caseId}`,
        senderEAddress: `_PRIVATE@${CITIZEN.replace('-', '')}`,
        senderCode: CITIZEN,
        senderRef: 'IN-page',
        subject: 'Par deklarāciju',
        body: 'Sveiki!',
        references: [],
        status: 'registration',
        sentOn: new Date(),
      }),
    ),
  );
  const payments = h.running.app.get(PaymentsService);
  await payments.saveSettings(h.municipalityId, { debtorIban: 'LV83BANK0000100000001' });
  const { lineId: paymentLine } = await payments.schedule({
    municipalityId: h.municipalityId,
    caseId,
    key: 'every-page',
    payee: { kind: 'resident', name: 'Ilze Bērziņa', iban: 'LV80BANK0000435195001' },
    amountCents: 12_345,
    dueMonth: '2026-01',
    remittance: 'every page',
  });
  const { run: paymentRun } = await payments.startRun(h.municipalityId, 'every-page', {
    month: '2026-01',
  });
  // A submitted social-assistance application with a bill: its case (assessed, under review) for
  // the resident's case page (the bill linked for download) and the caseworker's review task page;
  // then a new draft.
  const saCase = (
    await submitApplication(
      h.running.app,
      {
        municipalityId: h.municipalityId,
        accountId: h.caseworker.accountId,
        applicant: { code: CITIZEN, given: 'Pēteris', family: 'Kļaviņš', birthDate: '1965-01-29' },
        lang: 'en',
      },
      (draft) =>
        h.running.app.get(SocialAssistanceApplicationService).addBills(
          draft,
          [
            {
              originalname: 'heating-bill.pdf',
              mimetype: 'application/pdf',
              size: 9,
              buffer: Buffer.from('%PDF-1.4\n'),
            },
          ],
          'heating',
          h.caseworker.accountId,
        ),
    )
  ).caseId!;
  const saReview = await h.openTask(saCase, 'review:1');

  const saDraft = await h.running.app.get(SocialAssistanceApplicationService).startDraft({
    municipalityId: h.municipalityId,
    applicantCode: CITIZEN,
    applicantName: 'Pēteris Kļaviņš',
    channel: 'online',
    enteredBy: h.caseworker.accountId,
    lang: 'en',
  });

  // Statistics: one award with both benefits, one line paid and one scheduled.
  const saAward = await createAwardFigures(h.running.app, h.municipalityId, {
    status: 'needy',
    persons: 2,
    validFrom: '2026-01-01',
    validUntil: '2026-03-31',
    amounts: { gmi: 100_00, housing: 50_00 },
  });
  await createAwardPaymentLine(
    h.running.app,
    h.municipalityId,
    saAward.award,
    'gmi',
    '2026-01',
    100_00,
    'paid',
  );
  await createAwardPaymentLine(
    h.running.app,
    h.municipalityId,
    saAward.award,
    'housing',
    '2026-01',
    50_00,
  );
  // An award of the municipality with an open integrity finding (the monitor's task page).
  const saFindingAward = await createAwardWithInput(h.running.app, h.municipalityId, {
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
  const saFinding = await h.tenantDb.run(h.municipalityId, (em) =>
    em.save(
      em.create(SocialAssistanceAwardFinding, {
        municipalityId: h.municipalityId,
        awardId: saFindingAward.award.id,
        caseId: saFindingAward.caseId,
        kind: 'moved-away',
        personCode: saFindingAward.award.holderCode,
        details: { municipality: 'Talsu novads', since: '2026-02-01', addressCode: '100000001' },
        foundOn: '2026-02-02',
      }),
    ),
  );

  // An API client of the municipality (listed, and its revocation page).
  const { client: apiClient } = await h.running.app.get(ApiClientsService).create({
    municipalityId: h.municipalityId,
    name: 'Property-tax system',
    scopes: ['social-assistance.status'],
    createdBy: 'every-page',
  });

  const staff = await b.newPage();
  const staffUser = await staffSignIn(staff, url, h.running.app, h.municipalityId, [
    'caseworker',
    'manager',
    'administrator',
  ]);

  // A social-assistance case whose review arranged an interview / home visit: the visit task's
  // form, claimed by the staff user so the page shows it.
  const saVisitCase = (
    await submitApplication(h.running.app, {
      municipalityId: h.municipalityId,
      accountId: h.caseworker.accountId,
      applicant: { code: '120488-12349', given: 'Zane', family: 'Ozola', birthDate: '1988-04-12' },
      lang: 'en',
    })
  ).caseId!;
  await h.tasks.complete(h.caseworker, (await h.openTask(saVisitCase, 'review:1')).id, {
    outcome: 'arrange-visit',
  });
  const saVisit = await h.openTask(saVisitCase, 'visit:1');
  await h.tasks.claim(
    { accountId: staffUser.id, municipalityId: h.municipalityId, roles: ['caseworker'] },
    saVisit.id,
  );

  const visits: Visit[] = [
    { route: '/', who: 'anonymous', path: '/' },
    { route: '/auth/sign-in', who: 'anonymous', path: '/auth/sign-in' },
    { route: '/verify', who: 'anonymous', path: '/verify' },
    { route: '/verify/:code', who: 'anonymous', path: `/verify/${verifyCode}` },
    { route: '/services', who: 'anonymous', path: '/services' },
    { route: '/services/:key', who: 'anonymous', path: '/services/residence-declaration' },
    { route: '/services/:key/apply', who: 'citizen', path: '/services/reference/apply' },
    { route: '/my-cases', who: 'citizen', path: '/my-cases' },
    { route: '/my-cases/:id', who: 'citizen', path: `/my-cases/${caseId}` },
    {
      route: '/my-cases/:id/requests/:rid',
      who: 'citizen',
      path: `/my-cases/${caseId}/requests/${info.id}`,
    },
    { route: '/my-data/consultations', who: 'citizen', path: '/my-data/consultations' },
    { route: '/residence/declare', who: 'citizen', path: '/residence/declare' },
    { route: '/residence/cases/:caseId', who: 'citizen', path: `/residence/cases/${caseId}` },
    { route: '/residence/certificates', who: 'citizen', path: '/residence/certificates' },
    {
      route: '/residence/annulments/:caseId',
      who: 'citizen',
      path: `/residence/annulments/${annulmentCaseId}`,
    },
    { route: '/auth/municipality', who: 'staff', path: '/auth/municipality' },
    { route: '/auth/two-factor', who: 'staff', path: '/auth/two-factor' },
    { route: '/workspace', who: 'staff', path: '/workspace' },
    { route: '/workspace/dashboard', who: 'staff', path: '/workspace/dashboard' },
    { route: '/workspace/letters', who: 'staff', path: '/workspace/letters' },
    { route: '/workspace/cases', who: 'staff', path: '/workspace/cases' },
    { route: '/workspace/tasks/:id', who: 'staff', path: `/workspace/tasks/${task.id}` },
    { route: '/workspace/cases/:id', who: 'staff', path: `/workspace/cases/${caseId}` },
    { route: '/admin', who: 'staff', path: '/admin' },
    { route: '/admin/users', who: 'staff', path: '/admin/users' },
    { route: '/admin/directory', who: 'staff', path: '/admin/directory' },
    { route: '/admin/calendar', who: 'staff', path: '/admin/calendar' },
    { route: '/admin/parameters', who: 'staff', path: '/admin/parameters' },
    { route: '/admin/api-clients', who: 'staff', path: '/admin/api-clients' },
    {
      route: '/admin/api-clients/:id/revoke',
      who: 'staff',
      path: `/admin/api-clients/${apiClient.id}/revoke`,
    },
    { route: '/admin/templates', who: 'staff', path: '/admin/templates' },
    { route: '/admin/deliveries', who: 'staff', path: '/admin/deliveries' },
    { route: '/workspace/residence/declare', who: 'staff', path: '/workspace/residence/declare' },
    {
      route: '/workspace/residence/cases/:caseId',
      who: 'staff',
      path: `/workspace/residence/cases/${caseId}`,
    },
    {
      route: '/workspace/residence/persons/:code',
      who: 'staff',
      path: `/workspace/residence/persons/${CITIZEN}`,
    },
    {
      route: '/workspace/residence/certificates',
      who: 'staff',
      path: '/workspace/residence/certificates',
    },
    { route: '/workspace/residence/lists', who: 'staff', path: '/workspace/residence/lists' },
    {
      route: '/workspace/residence/lists/:kind',
      who: 'staff',
      path: '/workspace/residence/lists/persons',
    },
    {
      route: '/workspace/residence/statistics',
      who: 'staff',
      path: '/workspace/residence/statistics',
    },
    {
      route: '/workspace/residence/annulments/new',
      who: 'staff',
      path: '/workspace/residence/annulments/new',
    },
    { route: '/workspace/residence/persons', who: 'staff', path: '/workspace/residence/persons' },
    { route: '/dev/e-adrese', who: 'citizen', path: '/dev/e-adrese' },
    { route: '/workspace/correspondence', who: 'staff', path: '/workspace/correspondence' },
    {
      route: '/workspace/correspondence/:id',
      who: 'staff',
      path: `/workspace/correspondence/${mail.id}`,
    },
    {
      route: '/workspace/social-assistance/calculator',
      who: 'staff',
      path: '/workspace/social-assistance/calculator',
    },
    {
      route: '/workspace/social-assistance/statistics',
      who: 'staff',
      path: '/workspace/social-assistance/statistics?from=2026-01&to=2026-03',
    },
    {
      route: '/workspace/social-assistance/findings',
      who: 'staff',
      path: '/workspace/social-assistance/findings',
    },
    {
      route: '/workspace/social-assistance/findings/:id',
      who: 'staff',
      path: `/workspace/social-assistance/findings/${saFinding.id}`,
    },
    { route: '/workspace/payments', who: 'staff', path: '/workspace/payments' },
    {
      route: '/workspace/payments/runs/:id',
      who: 'staff',
      path: `/workspace/payments/runs/${paymentRun.id}`,
    },
    {
      route: '/workspace/payments/lines/:id',
      who: 'staff',
      path: `/workspace/payments/lines/${paymentLine}`,
    },
    { route: '/social-assistance/apply', who: 'citizen', path: '/social-assistance/apply' },
    {
      route: '/social-assistance/apply/:step',
      who: 'citizen',
      path: '/social-assistance/apply/household',
    },
    {
      route: '/social-assistance/applications/:id',
      who: 'citizen',
      path: `/social-assistance/applications/${saDraft.id}`,
    },
    {
      route: '/social-assistance/cases/:caseId',
      who: 'citizen',
      path: `/social-assistance/cases/${saCase}`,
    },
    // The social-assistance review: the case page with the calculation, lines and the form.
    { route: '/workspace/tasks/:id', who: 'staff', path: `/workspace/tasks/${saReview.id}` },
    // The interview / home visit task with its form (issue 15 item 4).
    { route: '/workspace/tasks/:id', who: 'staff', path: `/workspace/tasks/${saVisit.id}` },
    { route: '/workspace/cases/:id', who: 'staff', path: `/workspace/cases/${saCase}` },
    {
      route: '/workspace/social-assistance/applications/new',
      who: 'staff',
      path: '/workspace/social-assistance/applications/new',
    },
    {
      route: '/workspace/social-assistance/applications/:id',
      who: 'staff',
      path: `/workspace/social-assistance/applications/${saDraft.id}`,
    },
    {
      route: '/workspace/social-assistance/applications/:id/:step',
      who: 'staff',
      path: `/workspace/social-assistance/applications/${saDraft.id}/household`,
    },
  ];
  expect(getRoutes().filter((r) => !NOT_PAGES[r] && !visits.some((v) => v.route === r))).toEqual(
    [],
  );

  const anonymous = await b.newPage();
  const pageOf: Record<Who, Page> = { anonymous, citizen, staff };
  const problems: string[] = [];
  for (const v of visits) {
    const page = pageOf[v.who];
    for (const lang of ['en', 'lv', 'el'] as const) {
      const sep = v.path.includes('?') ? '&' : '?';
      const res = await page.goto(`${url}${v.path}${sep}lang=${lang}`);
      if (res?.status() !== 200)
        problems.push(`${v.path} [${lang}] as ${v.who}: HTTP ${res?.status()}`);
      const text = await page.locator('body').innerText();
      // A code shown as a code (<code>, e.g. a parameter's key beside its name) is not an untranslated kind.
      let prose = text;
      for (const c of await page.locator('code').allInnerTexts()) prose = prose.replace(c, '');
      const raw = RAW_KEY.exec(text) ?? RAW_KIND.exec(prose);
      if (raw) problems.push(`${v.path} [${lang}]: untranslated "${raw[0]}"`);
      if (lang === 'en') {
        for (const a of await seriousA11yViolations(page)) problems.push(`${v.path} [axe]: ${a}`);
        await screenshot(
          page,
          `page${v.route.replace(/[/:{}*]+/g, '-').replace(/-$/, '') || '-home'}`,
        );
      }
    }
  }
  expect(problems).toEqual([]);
});

/** When the fixtures issued no document yet, the citizen asks for a residence-history certificate. */
async function issueOneCertificate(page: Page, url: string): Promise<string> {
  await page.goto(`${url}/residence/certificates?lang=en`);
  await page.locator('#kind-history').check();
  await page.getByTestId('certificate-form').locator('button[type=submit]').click();
  await page.getByTestId('certificate-link').waitFor();
  const [row] = await h.tenantDb.run(h.municipalityId, (em) =>
    em.query(`SELECT verification_code FROM documents LIMIT 1`),
  );
  return row.verification_code as string;
}
