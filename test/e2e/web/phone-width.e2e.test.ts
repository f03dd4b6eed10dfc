import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, type TestBrowser } from '../../support/browser';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { citizenSignIn, staffSignIn } from '../workspace/e2e-support';

jest.setTimeout(240_000);

/**
 * D24: the shell and the main pages are usable on a phone. At 360 × 740 CSS pixels no page of
 * the main loop scrolls sideways, in any of the three languages (Greek words are the longest).
 */
const PHONE = { width: 360, height: 740 };

let h: ResidenceHarness;
let b: TestBrowser;
beforeAll(async () => {
  [h, b] = await Promise.all([startResidenceApp(), launchBrowser()]);
  await seedDevResidents(h);
});
afterAll(async () => {
  await b?.close();
  await h?.close();
});

/** The elements reaching past the right edge (for a readable failure). */
const overflowing = (page: Page): Promise<string[]> =>
  page.evaluate((w) => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.right > w + 0.5 && r.width > 0)
        out.push(
          `${el.tagName.toLowerCase()}.${(el.getAttribute('class') ?? '').split(' ')[0]} right=${Math.round(r.right)}`,
        );
    }
    return out.slice(0, 5);
  }, PHONE.width);

it('no main page scrolls sideways at 360 px wide, as the user it is for, in lv, en and el', async () => {
  const url = h.running.url;
  // Layout is only measured with the theme: the built stylesheet must be served (npm run build).
  expect((await fetch(`${url}/assets/civitas.css`)).status).toBe(200);
  const phone = async (): Promise<Page> => {
    const p = await b.newPage();
    await p.setViewportSize(PHONE);
    return p;
  };
  const citizen = await phone();
  await citizen.goto(`${url}/auth/sign-in?lang=en`);
  await citizenSignIn(citizen, h.municipalityId, DEV_CITIZEN.code);
  const flat = await h.sim.apartment([
    { code: await h.sim.person('1947-07-07', 'Ilze', 'Bērziņa'), name: 'Ilze Bērziņa' },
  ]);
  await citizen.goto(`${url}/residence/declare?lang=en`);
  await citizen.locator('#addressCode').fill(flat.code);
  await citizen.locator('#basis-lease').check();
  await citizen.getByTestId('declare-submit').click();
  await citizen.waitForURL(/\/residence\/cases\//);
  const caseId = citizen.url().split('/residence/cases/')[1];
  await h.openTask(caseId);

  const staff = await phone();
  await staffSignIn(staff, url, h.running.app, h.municipalityId, ['caseworker', 'manager']);
  const anonymous = await phone();

  const visits: [Page, string, string][] = [
    [anonymous, 'portal-home', '/'],
    [citizen, 'declare', '/residence/declare'],
    [citizen, 'citizen-case', `/residence/cases/${caseId}`],
    [citizen, 'my-cases', '/my-cases'],
    [staff, 'inbox', '/workspace'],
    [staff, 'staff-case', `/workspace/cases/${caseId}`],
    [staff, 'dashboard', '/workspace/dashboard'],
  ];
  const problems: string[] = [];
  for (const [page, name, path] of visits) {
    for (const lang of ['lv', 'en', 'el'] as const) {
      const res = await page.goto(`${url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      expect([path, res?.status()]).toEqual([path, 200]);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > PHONE.width)
        problems.push(
          `${path} [${lang}]: scrollWidth ${width}: ${(await overflowing(page)).join(', ')}`,
        );
      if (lang === 'el') await screenshot(page, `phone-${name}-${lang}`);
    }
  }
  expect(problems).toEqual([]);
});

it('keeps the header on one line on a desktop screen in every language, signed in as staff', async () => {
  const page = await b.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await staffSignIn(page, h.running.url, h.running.app, h.municipalityId, ['caseworker']);
  const rows: Record<string, number> = {};
  for (const lang of ['lv', 'en', 'el'] as const) {
    await page.goto(`${h.running.url}/workspace?lang=${lang}`);
    // One line: the navigation starts level with the brand block, not below it.
    rows[lang] = await page.evaluate(() => {
      const [brand, nav] = Array.from(
        document.querySelector('.civitas-header__inner')!.children,
      ).map((e) => e.getBoundingClientRect());
      return Math.round(nav.top) < Math.round(brand.bottom) ? 1 : 2;
    });
    if (lang === 'el') await screenshot(page, 'desktop-header-el');
    expect([lang, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([
      lang,
      1280,
    ]);
  }
  expect(rows).toEqual({ lv: 1, en: 1, el: 1 });
});
