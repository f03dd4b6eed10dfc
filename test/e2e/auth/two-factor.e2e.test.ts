import { AccountsService } from '../../../src/platform/accounts/accounts.service';
import { TOTP_ENGINE, type TotpEngine } from '../../../src/platform/auth/two-factor/totp';
import {
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  watchCsp,
  type TestBrowser,
} from '../../support/browser';
import { startAuthApp, type AuthApp } from '../../integration/auth/auth-support';
import { enrolTotp } from '../../support/two-factor';
import { staffSignIn } from '../workspace/e2e-support';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(90_000);

describe('two-step verification in a real browser', () => {
  let a: AuthApp;
  let tb: TestBrowser;
  beforeAll(async () => {
    [a, tb] = await Promise.all([startAuthApp({ ADMIN_TOTP_REQUIRED: 'true' }), launchBrowser()]);
  });
  afterAll(async () => {
    await tb?.close();
    await a?.close();
  });

  it('an administrator is sent to enrol, scans the QR code (or types the key), confirms and reaches the admin pages; each page accessible', async () => {
    const m = await createMunicipality(a.ds);
    const page = await tb.newPage();
    const csp = watchCsp(page);
    await staffSignIn(page, a.url, a.app, m.id, ['administrator']);
    await page.goto(`${a.url}/admin?lang=en`);
    expect(new URL(page.url()).pathname).toBe('/auth/two-factor');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'two-factor-required-en');

    await page.getByRole('button', { name: 'Set up two-step verification' }).click();
    const qr = page.getByTestId('totp-qr');
    expect(
      await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 100),
    ).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'two-factor-setup-en');

    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page
      .locator('#code')
      .fill(a.app.get<TotpEngine>(TOTP_ENGINE).generate(secret, new Date()));
    await page.getByRole('button', { name: 'Confirm' }).click();
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'two-factor-recovery-codes-en');

    await page.getByRole('link', { name: 'Continue' }).click();
    expect(new URL(page.url()).pathname).toBe('/admin');
    expect(csp).toEqual([]);
    await page.close();
  });

  it('an enrolled caseworker gives the code after the password, in lv, en and el; the code page is accessible', async () => {
    const m = await createMunicipality(a.ds);
    for (const lang of ['lv', 'en', 'el']) {
      const username = `e2e.totp.${lang}.${m.code}`;
      const acc = await a.app
        .get(AccountsService)
        .createStaff({ username, displayName: `TOTP ${lang}`, password: 'correct horse battery' });
      await a.app.get(AccountsService).grant(acc.id, m.id, 'caseworker');
      const { recoveryCodes } = await enrolTotp(a.app, acc.id);
      const page = await tb.newPage();
      await page.goto(`${a.url}/auth/sign-in?lang=${lang}`);
      const form = page.getByTestId('password-form');
      await form.locator('#username').fill(username);
      await form.locator('#password').fill('correct horse battery');
      await form.locator('#municipalityId').selectOption(m.id);
      await form.getByRole('button').click();
      await page.waitForURL((u) => u.pathname === '/auth/sign-in/code');
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `two-factor-code-${lang}`);
      await page.locator('#code').fill(recoveryCodes[0]);
      await page.getByTestId('code-form').getByRole('button').click();
      await page.waitForURL((u) => u.pathname === '/workspace');
      await page.close();
    }
  });
});
