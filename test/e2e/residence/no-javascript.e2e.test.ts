import type { Page } from 'playwright-core';
import { pdfsig } from '../../integration/documents/support';
import { launchBrowser, type TestBrowser } from '../../support/browser';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { citizenSignIn, staffSignIn } from '../workspace/e2e-support';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';

jest.setTimeout(120_000);

/**
 * The core flows with JavaScript switched off in Chromium: a citizen submits a declaration, a
 * caseworker claims and decides the review task in the workspace, the citizen downloads the
 * sealed certificate. Everything is plain forms, links and redirects.
 */
const CITIZEN = DEV_CITIZEN.code;

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

const noScriptPage = async (): Promise<Page> =>
  (await b.browser.newContext({ javaScriptEnabled: false })).newPage();

it('a citizen declares, a caseworker claims and approves, and the citizen downloads the sealed certificate, all without JavaScript', async () => {
  const url = h.running.url;
  const flat = await h.sim.apartment([
    { code: await h.sim.person('1949-09-09', 'Ilze', 'Bērziņa'), name: 'Ilze Bērziņa' },
  ]);

  const citizen = await noScriptPage();
  await citizen.goto(
    `${url}/auth/sign-in?returnTo=${encodeURIComponent('/residence/declare')}&lang=en`,
  );
  await citizenSignIn(citizen, h.municipalityId, CITIZEN);
  await citizen.waitForURL(/\/residence\/declare/);
  await citizen.locator('#addressCode').fill(flat.code);
  await citizen.locator('#basis-lease').check();
  await citizen.getByTestId('declare-submit').click();
  await citizen.waitForURL(/\/residence\/cases\//);
  const caseId = citizen.url().split('/residence/cases/')[1];
  const task = await h.openTask(caseId);

  const desk = await noScriptPage();
  await staffSignIn(desk, url, h.running.app, h.municipalityId, ['caseworker']);
  await desk.goto(`${url}/workspace?lang=en`);
  await desk.locator(`form[action="/workspace/tasks/${task.id}/claim"] button`).click();
  await desk.locator(`a[href="/workspace/tasks/${task.id}"]`).first().click();
  await desk.waitForURL(new RegExp(`/workspace/tasks/${task.id}`));
  await desk.locator('input[name=outcome][value=approve]').check();
  await desk.locator('form[action$="/complete"] button[type=submit]').click();
  await h.finished(caseId);

  await citizen.reload();
  expect(await citizen.getByTestId('outcome').textContent()).toContain('Registered');
  const href = await citizen.getByTestId('document-link').first().getAttribute('href');
  // The link is a plain GET with the session cookie: what a click without scripts does.
  const res = await citizen.request.get(`${url}${href}`);
  expect(res.headers()['content-type']).toBe('application/pdf');
  const bytes = Buffer.from(await res.body());
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(await pdfsig(h.nssDir, bytes)).toContain('Signature is Valid');
});
