import {
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  type TestBrowser,
} from '../../support/browser';
import { startApp, type RunningApp } from '../../support/app';

jest.setTimeout(60_000);

describe('web shell in a real browser', () => {
  let app: RunningApp;
  let tb: TestBrowser;
  beforeAll(async () => {
    [app, tb] = await Promise.all([startApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await tb?.close();
    await app?.close();
  });

  it.each(['lv', 'en', 'el'])(
    'portal home in %s has no serious accessibility violations',
    async (lang) => {
      const page = await tb.newPage();
      await page.goto(`${app.url}/?lang=${lang}`);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `portal-home-${lang}`);
      await page.close();
    },
  );

  it('offers a skip link as the first keyboard stop', async () => {
    const page = await tb.newPage();
    await page.goto(`${app.url}/?lang=en`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    expect(focused).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    // Playwright learns of the same-document navigation asynchronously: wait for it.
    await page.waitForURL(/#main-content$/, { timeout: 5_000 });
    // The design system's script moves focus to the main region, so the next Tab starts there.
    await page.waitForFunction(() => document.activeElement?.id === 'main-content', null, {
      timeout: 5_000,
    });
    await page.close();
  });

  it('switches language from the header and keeps it', async () => {
    const page = await tb.newPage();
    await page.goto(`${app.url}/`);
    await page.getByRole('link', { name: 'Ελληνικά' }).click();
    await page.waitForURL(/lang=el/);
    expect(await page.locator('h1').textContent()).toContain('Ηλεκτρονικές υπηρεσίες');
    // The workspace needs a staff sign-in: the sign-in page it leads to keeps the language.
    await page.goto(`${app.url}/workspace`);
    expect(await page.locator('h1').textContent()).toBe('Σύνδεση');
    await page.close();
  });
});
