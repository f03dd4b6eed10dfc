import { DataSource } from 'typeorm';
import { seedDemoAccounts } from '../../../src/platform/accounts/demo-accounts';
import {
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  watchCsp,
  type TestBrowser,
} from '../../support/browser';
import { startAuthApp, type AuthApp } from '../../integration/auth/auth-support';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(60_000);

/** Collects CSP violations the page reports, so a blocked script or style fails the test. */
describe('signing in with a real browser', () => {
  let a: AuthApp;
  let tb: TestBrowser;
  let code: string;
  let municipalityName: string;
  beforeAll(async () => {
    [a, tb] = await Promise.all([startAuthApp(), launchBrowser()]);
    const m = await createMunicipality(a.ds);
    code = m.code;
    municipalityName = m.name;
    await seedDemoAccounts(a.app.get(DataSource), m.id);
  });
  afterAll(async () => {
    await tb?.close();
    await a?.close();
  });

  it('the sign-in page is accessible in lv, en and el', async () => {
    for (const lang of ['lv', 'en', 'el']) {
      const page = await tb.newPage();
      const csp = watchCsp(page);
      await page.goto(`${a.url}/auth/sign-in?lang=${lang}`);
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(csp).toEqual([]);
      await screenshot(page, `auth-sign-in-${lang}`);
      await page.close();
    }
  });

  it('a caseworker signs in with a password, lands on the workspace and signs out', async () => {
    const page = await tb.newPage();
    const csp = watchCsp(page);
    await page.goto(`${a.url}/workspace?lang=en`);
    await page.waitForURL(/\/auth\/sign-in\?returnTo=%2Fworkspace%3Flang%3Den/);
    await page.getByLabel('Username').fill(`caseworker.${code}`);
    await page.getByLabel('Password').fill('civitas-demo-2026');
    await page.getByTestId('password-form').getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${a.url}/workspace?lang=en`);
    expect(await page.locator('h1').textContent()).toBe('Workspace');
    expect(await page.textContent('header')).toContain('Signed in as Inese Vītola');
    await screenshot(page, 'auth-workspace-signed-in');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/signedOut=1/);
    expect(await page.textContent('main')).toContain('You have signed out.');
    expect(csp).toEqual([]);
    await page.close();
  });

  it('a resident signs in with eID through the development identity provider', async () => {
    const page = await tb.newPage();
    const csp = watchCsp(page);
    await page.goto(`${a.url}/auth/sign-in?lang=en`);
    await page.getByLabel('Municipality').first().selectOption({ label: municipalityName });
    await page.getByRole('button', { name: 'Sign in with eID' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await screenshot(page, 'auth-dev-idp-login');
    await page.getByLabel('Personal code or staff username').fill('150385-12346');
    await page.getByLabel('Password').fill('eid-demo');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${a.url}/`);
    expect(await page.textContent('header')).toContain('Jānis Bērziņš');
    expect(csp).toEqual([]);
    await page.close();
  });
});
