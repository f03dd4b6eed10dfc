import type { INestApplication } from '@nestjs/common';
import type { Page } from 'playwright-core';
import { createStaff } from '../../factories/accounts';
import type { Role } from '../../../src/platform/accounts/roles';
import { screenshot, seriousA11yViolations } from '../../support/browser';

export const DEV_IDP_PASSWORD = 'eid-demo';

/** Creates a staff account and signs in through the real password form in the browser. */
export async function staffSignIn(
  page: Page,
  base: string,
  app: INestApplication,
  municipalityId: string,
  roles: Role[],
  name?: string,
): Promise<{ id: string; displayName: string }> {
  const { id, username, password, displayName } = await createStaff(app, municipalityId, roles, {
    displayName: name,
  });
  await page.goto(`${base}/auth/sign-in?lang=en`);
  const form = page.getByTestId('password-form');
  await form.locator('#username').fill(username);
  await form.locator('#password').fill(password);
  await form.locator('#municipalityId').selectOption(municipalityId);
  await form.getByRole('button').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/auth/sign-in'));
  return { id, displayName };
}

/** Signs a citizen in with eID through the in-process dev identity provider (the sign-in page must be open). */
export async function citizenSignIn(
  page: Page,
  municipalityId: string,
  personalCode: string,
): Promise<void> {
  const eid = page.getByTestId('eid-form');
  await eid.locator('#eid-municipality').selectOption(municipalityId);
  await eid.getByRole('button').click();
  await page.waitForLoadState('load');
  await page.locator('#login').fill(personalCode);
  await page.locator('#password').fill(DEV_IDP_PASSWORD);
  await page.locator('button[type=submit]').first().click();
  await page.waitForLoadState('load');
  if (page.url().includes('/interaction/')) {
    await page.locator('button.govuk-button').first().click();
  }
  await page.waitForURL(
    (u) =>
      !u.pathname.startsWith('/interaction') &&
      !u.pathname.startsWith('/oidc') &&
      !u.pathname.startsWith('/auth/'),
  );
}

/** Every page a test visits: no serious or critical axe-core violations, and a screenshot for the gallery. */
export async function checkPage(page: Page, name: string): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
  await screenshot(page, name);
}
