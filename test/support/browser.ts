import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../src/documents/pdf/puppeteer-pdf-printer';
import { fromRoot } from '../../src/platform/paths';


export interface TestBrowser {
  browser: Browser;
  /** A page in a fresh context (own cookies), as axe-core/playwright requires. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Headless Debian Chromium; Playwright makes and removes its own temporary profile. */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
  return {
    browser,
    newPage: async () => (await browser.newContext()).newPage(),
    close: () => browser.close(),
  };
}

export const SCREENSHOT_DIR = fromRoot('test-output', 'screenshots');

/** Full-page screenshot for the gallery (test-output/ is not committed). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** axe-core on the current page: the serious and critical violations (expected to be none). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
