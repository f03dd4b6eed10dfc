import { readFileSync } from 'node:fs';
import { Person } from '../../../src/persons/person.entity';
import {
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  type TestBrowser,
} from '../../support/browser';
import { eventually } from '../../support/engine-harness';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { citizenSignIn, staffSignIn } from './e2e-support';
import { seedDevResidents } from '../../support/dev-citizen';

jest.setTimeout(150_000);

const CITIZEN = { code: '180269-15678', given: 'Guntis', family: 'Čakste' }; // a dev IdP identity
const EVIDENCE = Buffer.from('%PDF-1.4\n% signed lease contract\n');

let h: ResidenceHarness;
let b: TestBrowser;
beforeAll(async () => {
  [h, b] = await Promise.all([startResidenceApp(), launchBrowser()]);
  // Guntis Čakste is a demo resident: in the register simulators exactly as seed:demo writes him.
  await seedDevResidents(h);
  await h.tenantDb.run(h.municipalityId, (em) =>
    em.save(
      em.create(Person, {
        municipalityId: h.municipalityId,
        personalCode: CITIZEN.code,
        givenName: CITIZEN.given,
        familyName: CITIZEN.family,
      }),
    ),
  );
});
afterAll(async () => {
  await b?.close();
  await h?.close();
});

it('one case page each: the caseworker sees facts and register results, asks for documents; the citizen sees that text and answers with a file; the caseworker opens it', async () => {
  const url = h.running.url;
  const flat = await h.sim.apartment([
    { code: await h.sim.person('1947-07-07', 'Ausma', 'Krūze'), name: 'Ausma Krūze' },
  ]);

  // Citizen: declares on a lease (the registers cannot confirm a lease, so it goes to review).
  const citizen = await b.newPage();
  await citizen.goto(
    `${url}/auth/sign-in?returnTo=${encodeURIComponent('/residence/declare')}&lang=en`,
  );
  await citizenSignIn(citizen, h.municipalityId, CITIZEN.code);
  await citizen.locator('#addressCode').fill(flat.code);
  await citizen.locator('#basis-lease').check();
  await citizen.locator('#basisNote').fill('Lease from Ausma Krūze since 1 May');
  await citizen.getByTestId('declare-submit').click();
  await citizen.waitForURL(/\/residence\/cases\//);
  const caseId = new URL(citizen.url()).pathname.split('/').pop()!;
  const task = await h.openTask(caseId);

  // Caseworker: the inbox's task leads to the one case page with the facts, the register results and the form.
  const desk = await b.newPage();
  await staffSignIn(desk, url, h.running.app, h.municipalityId, ['caseworker'], 'Anna Kalniņa');
  await desk.goto(`${url}/workspace/tasks/${task.id}?lang=en`);
  const facts = (await desk.getByTestId('facts').textContent())!;
  expect(facts).toContain(flat.text);
  expect(facts).toContain('Lease from Ausma Krūze since 1 May');
  const registers = (await desk.getByTestId('registers').textContent())!;
  expect(registers).toContain('Property register (Land Register)');
  expect(registers).toContain('a lease must be shown with documents');
  await Promise.all([
    desk.waitForNavigation(),
    desk.getByTestId('task-form').getByRole('button', { name: /Claim/ }).click(),
  ]);
  await desk.goto(`${url}/workspace/tasks/${task.id}?lang=en`);
  expect(await seriousA11yViolations(desk)).toEqual([]);
  await screenshot(desk, 'workspace-case-page-review');

  const asked = 'The signed lease contract with Ausma Krūze (all pages)';
  const form = desk.getByTestId('task-form');
  await form.locator('input[name=outcome][value=request-documents]').check();
  await form.locator('#documentsRequested').fill(asked);
  await Promise.all([
    desk.waitForNavigation(),
    form.getByRole('button', { name: 'Record decision' }).click(),
  ]);
  await eventually(
    async () => (await h.cases.get(h.municipalityId, caseId)).stage === 'awaiting-documents',
    20_000,
    'documents requested',
  );

  // Citizen: "My cases" leads to the one case page, which says exactly what to upload.
  await citizen.goto(`${url}/my-cases?lang=en`);
  await Promise.all([
    citizen.waitForNavigation(),
    citizen.locator(`a[href="/residence/cases/${caseId}"]`).click(),
  ]);
  expect(await citizen.getByTestId('documents-asked').textContent()).toContain(asked);
  expect(await seriousA11yViolations(citizen)).toEqual([]);
  await screenshot(citizen, 'portal-case-page-documents-asked');
  await citizen
    .locator('#files-input')
    .setInputFiles({ name: 'lease-contract.pdf', mimeType: 'application/pdf', buffer: EVIDENCE });
  await Promise.all([
    citizen.waitForNavigation(),
    citizen.locator('form[enctype="multipart/form-data"] button[type=submit]').click(),
  ]);
  expect(await citizen.locator('.govuk-error-summary').count()).toBe(0);

  // Caseworker: the second review shows the answer; the evidence opens from the case page.
  await h.openTask(caseId, 'review:2');
  await desk.goto(`${url}/workspace/cases/${caseId}?lang=en`);
  const link = desk.getByTestId('uploads').getByRole('link', { name: 'lease-contract.pdf' });
  const [download] = await Promise.all([desk.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('lease-contract.pdf');
  expect(readFileSync((await download.path())!).equals(EVIDENCE)).toBe(true);
  expect(await desk.getByTestId('process-request').first().textContent()).toContain(asked);
  // The timeline names the decision taken and the register results.
  expect(await desk.getByTestId('timeline').textContent()).toContain(
    'Decision: ask the applicant for documents',
  );
  expect(await desk.getByTestId('timeline').textContent()).toContain(
    'Property register (Land Register): a lease must be shown with documents',
  );
  expect(await seriousA11yViolations(desk)).toEqual([]);
  await screenshot(desk, 'workspace-case-page-answered');
});
