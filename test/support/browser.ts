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
/** Pages axe is analysing now: axe sets inline styles while it checks (e.g. colour contrast), which the app's CSP rightly blocks. */
const underAxe = new WeakSet<Page>();

/**
 * Content Security Policy violations the page reports from now on, except those axe causes while
 * `seriousA11yViolations` runs (its console messages arrive before its analysis resolves).
 */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (!underAxe.has(page) && /Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

export async function seriousA11yViolations(page: Page): Promise<string[]> {
  underAxe.add(page);
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
    .finally(() => underAxe.delete(page));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
