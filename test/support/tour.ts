import type { Page } from 'playwright-core';
import { screenshot, seriousA11yViolations } from './browser';

/** The demo accounts' passwords, as seed:demo prints them and the README tells. */
export const STAFF_PASSWORD = 'civitas-demo-2026';
export const EID_PASSWORD = 'eid-demo';
export const TUKUMS = 'Tukuma novada pašvaldība';

/** A tour's screenshot, taken once the page has no serious accessibility violation. */
export async function tourShot(page: Page, name: string): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
  await screenshot(page, name);
}

/** From the header's "Sign in": the staff password form, municipality by its name. */
export async function staffSignIn(
  page: Page,
  appUrl: string,
  username: string,
  municipality = TUKUMS,
): Promise<void> {
  await page.goto(`${appUrl}/?lang=en`);
  await page.getByRole('link', { name: 'Sign in' }).click();
  const form = page.getByTestId('password-form');
  await form.locator('#username').fill(username);
  await form.locator('#password').fill(STAFF_PASSWORD);
  await form.locator('#municipalityId').selectOption({ label: municipality });
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/auth/sign-in')),
    form.getByRole('button').click(),
  ]);
}

/**
 * "Sign in with eID" through the development identity provider, as the README says, from a page
 * that shows the sign-in choice (the eID form).
 */
export async function eidSignIn(
  page: Page,
  personalCode: string,
  municipality = TUKUMS,
): Promise<void> {
  const eid = page.getByTestId('eid-form');
  await eid.locator('#eid-municipality').selectOption({ label: municipality });
  await eid.getByRole('button').click();
  await page.locator('#login').fill(personalCode);
  await page.locator('#password').fill(EID_PASSWORD);
  await page.locator('button[type=submit]').first().click();
  await page.waitForLoadState('load');
  if (page.url().includes('/interaction/'))
    await page.locator('button[type=submit]').first().click();
  await page.waitForURL(
    (u) =>
      !u.pathname.startsWith('/interaction') &&
      !u.pathname.startsWith('/oidc') &&
      !u.pathname.startsWith('/auth/'),
  );
}
