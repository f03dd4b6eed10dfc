import { pdfsig } from '../../integration/documents/support';
import {
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  type TestBrowser,
} from '../../support/browser';
import { eventually } from '../../support/engine-harness';
import { staffSignIn } from '../workspace/e2e-support';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';

jest.setTimeout(120_000);

const CITIZEN = DEV_CITIZEN;

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

it('a citizen declares online, uploads the documents the caseworker asks for, the caseworker approves, the citizen downloads a certificate whose seal pdfsig accepts', async () => {
  const owner = await h.sim.person('1950-03-03', 'Ausma', 'Krūze');
  const flat = await h.sim.apartment([{ code: owner, name: 'Ausma Krūze' }]);
  const page = await b.newPage();
  const url = h.running.url;

  // Citizen: eID sign-in through the dev identity provider, back to the e-service.
  await page.goto(
    `${url}/auth/sign-in?returnTo=${encodeURIComponent('/residence/declare')}&lang=en`,
  );
  await page.locator('#eid-municipality').selectOption(h.municipalityId);
  await page.getByTestId('eid-form').locator('button[type=submit]').click();
  await page.locator('#login').fill(CITIZEN.code);
  await page.locator('#password').fill(CITIZEN.password);
  await page.locator('button[type=submit]').first().click();
  if (page.url().includes('/interaction/'))
    await page.locator('button[type=submit]').first().click();
  await page.waitForURL(/\/residence\/declare/);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // A wrong address code first: a field-level error, nothing submitted.
  await page.locator('#addressCode').fill('123');
  await page.locator('#basis-lease').check();
  await page.getByTestId('declare-submit').click();
  await expectText(page, '.govuk-error-summary', 'State Address Register');
  // Saved as a draft, left and resumed: the fields come back.
  await page.locator('#addressCode').fill(flat.code);
  await page.locator('#basis-lease').check();
  await page.getByTestId('declare-form').getByRole('button', { name: 'Save draft' }).click();
  await expectText(page, '.govuk-notification-banner', 'Your draft has been saved');
  await page.goto(`${url}/residence/declare`);
  expect(await page.locator('#addressCode').inputValue()).toBe(flat.code);
  expect(await page.locator('#basis-lease').isChecked()).toBe(true);
  await page.getByTestId('declare-submit').click();
  await page.waitForURL(/\/residence\/cases\//);
  const caseId = page.url().split('/residence/cases/')[1];
  await h.openTask(caseId);
  await page.reload();
  // The deadline as every citizen page shows dates (the one date helper), not an ISO string.
  const due = (await page.getByTestId('due').textContent())!;
  expect(due).toMatch(/20\d\d/);
  expect(due).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  await screenshot(page, 'residence-status-review');
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Caseworker, in their own browser context: the case page with its review form; first asks for the lease contract.
  const desk = await b.newPage();
  await staffSignIn(desk, url, h.running.app, h.municipalityId, ['caseworker']);
  const review = async (
    outcome: 'request-documents' | 'approve',
    documentsRequested?: string,
  ): Promise<void> => {
    // The one case page: claim the review, then its form is on the page with the facts.
    await desk.goto(`${url}/workspace/cases/${caseId}?lang=en`);
    const form = desk.getByTestId('task-form');
    if (await form.getByRole('button', { name: /Claim/ }).count()) {
      await Promise.all([
        desk.waitForNavigation(),
        form.getByRole('button', { name: /Claim/ }).click(),
      ]);
    }
    await form.locator(`input[name=outcome][value=${outcome}]`).check();
    if (documentsRequested) await form.locator('#documentsRequested').fill(documentsRequested);
    expect(await seriousA11yViolations(desk)).toEqual([]);
    await Promise.all([
      desk.waitForNavigation(),
      form.locator('button[type=submit]').last().click(),
    ]);
    expect(await desk.locator('.govuk-error-summary').count()).toBe(0);
  };
  await review('request-documents', 'Lease contract');

  // Citizen: uploads it on the status page (multipart, no JavaScript); a wrong file type is refused first.
  await eventually(
    async () => (await h.cases.get(h.municipalityId, caseId)).stage === 'awaiting-documents',
    20_000,
    'documents requested',
  );
  await desk.reload();
  await screenshot(desk, 'residence-caseworker-after-request');
  await page.reload();
  await page.locator('#files-input').setInputFiles({
    name: 'lease.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('not really a pdf'),
  });
  await page.locator('form[enctype="multipart/form-data"] button[type=submit]').click();
  await expectText(page, '.govuk-error-summary', 'PDF, JPEG or PNG');
  await page.locator('#files-input').setInputFiles({
    name: 'lease.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n% lease contract\n'),
  });
  await page.locator('form[enctype="multipart/form-data"] button[type=submit]').click();
  await page.waitForURL(new RegExp(`/residence/cases/${caseId}$`));

  // Caseworker: a second review round, approve.
  await h.openTask(caseId, 'review:2');
  await review('approve');
  await h.finished(caseId);

  // Citizen: the status page shows the decision and the certificate.
  await page.reload();
  await expectText(page, '[data-testid=outcome]', 'Registered');
  const href = await page.getByTestId('document-link').first().getAttribute('href');
  const pdf = await page.request.get(`${url}${href}`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  const report = await pdfsig(h.nssDir, Buffer.from(await pdf.body()));
  expect(report).toContain('Signature is Valid');

  // The same citizen asks for a residence-history certificate: issued and sealed at once.
  await page.goto(`${url}/residence/certificates`);
  await page.locator('#kind-history').check();
  await page.getByTestId('certificate-form').locator('button[type=submit]').click();
  const certHref = await page.getByTestId('certificate-link').getAttribute('href');
  const cert = await page.request.get(`${url}${certHref}`);
  expect(cert.headers()['content-type']).toBe('application/pdf');
  expect(await pdfsig(h.nssDir, Buffer.from(await cert.body()))).toContain('Signature is Valid');
});

async function expectText(
  page: import('playwright-core').Page,
  selector: string,
  text: string,
): Promise<void> {
  await page.locator(selector).first().waitFor();
  expect(await page.locator(selector).first().textContent()).toContain(text);
}
