import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousA11yViolations, type TestBrowser } from '../../support/browser';
import { startShippedApp, type ShippedApp } from '../../support/shipped-app';

/**
 * The README's tour, as people do it, on the platform as the README brings it up: a database made by
 * `db:setup` and `seed:demo`, the app started from `dist/src/main.js`, every step from the menus a
 * person sees. Nothing here inserts a row or provides a port: what passes here works for a user.
 */
jest.setTimeout(600_000);

const STAFF_PASSWORD = 'civitas-demo-2026';
const EID_PASSWORD = 'eid-demo';
/** The demo resident who rents (review path), as the seed registers him. */
const RENTER = process.env.TOUR_RENTER ?? '150385-12346';

let app: ShippedApp;
let b: TestBrowser;

beforeAll(async () => {
  app = await startShippedApp();
  b = await launchBrowser();
});
afterAll(async () => {
  await b?.close();
  await app?.close();
});

const sha256 = (buf: Buffer): string => createHash('sha256').update(buf).digest('hex');

async function shot(page: Page, name: string): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
  await screenshot(page, `tour-${name}`);
}

/** From the header's "Sign in": the staff password form, municipality by its name. */
async function staffSignIn(page: Page, username: string, municipality: string): Promise<void> {
  await page.goto(`${app.url}/?lang=en`);
  await page.getByRole('link', { name: 'Sign in' }).click();
  const form = page.getByTestId('password-form');
  await form.locator('#username').fill(username);
  await form.locator('#password').fill(STAFF_PASSWORD);
  await form.locator('#municipalityId').selectOption({ label: municipality });
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/auth/')), form.getByRole('button').click()]);
}

/** "Sign in with eID" through the development identity provider, as the README says. */
async function eidSignIn(page: Page, personalCode: string, municipality: string): Promise<void> {
  const eid = page.getByTestId('eid-form');
  await eid.locator('#eid-municipality').selectOption({ label: municipality });
  await eid.getByRole('button').click();
  await page.locator('#login').fill(personalCode);
  await page.locator('#password').fill(EID_PASSWORD);
  await page.locator('button[type=submit]').first().click();
  await page.waitForLoadState('load');
  if (page.url().includes('/interaction/')) await page.locator('button[type=submit]').first().click();
  await page.waitForURL((u) => !u.pathname.startsWith('/interaction') && !u.pathname.startsWith('/oidc') && !u.pathname.startsWith('/auth/'));
}

it('the README commands prepare the database and the seed says what it made', () => {
  expect(app.setup.map((s) => s.command)).toEqual(['db:setup', 'seed:demo']);
  expect(app.setup[1].stdout).toContain('caseworker.tukums');
  expect(app.setup[1].stdout).toContain('150385-12346');
});

it('a resident declares a rented flat from the portal menus and lands on the one page of the case', async () => {
  const page = await b.newPage();
  await page.goto(`${app.url}/?lang=en`);
  await shot(page, '01-portal-home');
  await page.getByRole('link', { name: /residence/i }).first().click();
  await page.getByRole('button', { name: /start/i }).click();
  await eidSignIn(page, RENTER, 'Tukuma novada pašvaldība');
  await page.waitForURL(/\/residence\/declare/);
  await shot(page, '02-declare-form');
});
