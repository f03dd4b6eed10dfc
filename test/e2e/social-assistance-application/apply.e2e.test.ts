import type { Page } from 'playwright-core';
import { SocialAssistanceApplication } from '../../../src/modules/social-assistance/application/application.entity';
import {
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  type TestBrowser,
} from '../../support/browser';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(120_000);

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

const SPOUSE = '010180-10000';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function next(page: Page, step: string): Promise<void> {
  await Promise.all([
    page.waitForURL(new RegExp(`/social-assistance/apply/${step}`)),
    page.getByTestId('next').click(),
  ]);
  expect(await page.locator('.govuk-error-summary').count()).toBe(0);
}

it('a resident signs in with eID, fills in the steps (a wrong amount refused, a draft saved and resumed, a bill uploaded) and submits the application', async () => {
  const page = await b.newPage();
  const url = h.running.url;
  await page.goto(
    `${url}/auth/sign-in?returnTo=${encodeURIComponent('/social-assistance/apply')}&lang=en`,
  );
  await page.locator('#eid-municipality').selectOption(h.municipalityId);
  await page.getByTestId('eid-form').locator('button[type=submit]').click();
  await page.locator('#login').fill(DEV_CITIZEN.code);
  await page.locator('#password').fill(DEV_CITIZEN.password);
  await page.locator('button[type=submit]').first().click();
  if (page.url().includes('/interaction/'))
    await page.locator('button[type=submit]').first().click();
  await page.waitForURL(/\/social-assistance\/apply\/household/);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Household: the applicant (code fixed from the eID) and the spouse.
  expect(await page.locator('#members-0-personalCode').inputValue()).toBe(DEV_CITIZEN.code);
  await page.locator('#members-0-givenName').fill('Pēteris');
  await page.locator('#members-0-familyName').fill('Kļaviņš');
  await page.locator('#members-0-workingAge').check();
  await page.locator('#members-1-givenName').fill('Anna');
  await page.locator('#members-1-familyName').fill('Kļaviņa');
  await page.locator('#members-1-personalCode').fill(SPOUSE);
  await page.locator('#members-1-relation').selectOption('spouse');
  await page.locator('#members-1-pensioner').check();
  await next(page, 'incomes');

  // Incomes: a wrong amount is refused next to its field; corrected, saved as a draft, resumed.
  await page.locator('#regularIncomes-0-member').selectOption(DEV_CITIZEN.code);
  await page.locator('#regularIncomes-0-type').selectOption('wages');
  await page.locator('#regularIncomes-0-m0').fill('450,5x');
  await page.locator('#regularIncomes-1-member').selectOption(SPOUSE);
  await page.locator('#regularIncomes-1-type').selectOption('old-age-pension');
  await page.locator('#regularIncomes-1-m0').fill('310');
  await page.locator('#regularIncomes-1-m1').fill('310');
  await page.locator('#regularIncomes-1-m2').fill('310');
  await page.getByTestId('next').click();
  await expectText(page, '.govuk-error-summary', 'at most 2 decimals');
  await expectText(page, '#regularIncomes-0-m0-error', 'at most 2 decimals');
  await page.locator('#regularIncomes-0-m0').fill('450,50');
  await page.locator('#regularIncomes-0-m1').fill('450,50');
  await page.locator('#regularIncomes-0-m2').fill('1 200');
  await Promise.all([page.waitForURL(/done=draftSaved/), page.getByTestId('save').click()]);
  await expectText(page, '.govuk-notification-banner', 'Your draft has been saved');
  await page.goto(`${url}/`);
  await page.goto(`${url}/social-assistance/apply/incomes`);
  expect(await page.locator('#regularIncomes-0-m2').inputValue()).toBe('1200.00');
  expect(await page.locator('#regularIncomes-1-type').inputValue()).toBe('old-age-pension');
  await next(page, 'assets');

  await page.locator('#bankAccounts-0-member').selectOption(DEV_CITIZEN.code);
  await page.locator('#bankAccounts-0-bank').fill('Swedbank');
  await page.locator('#bankAccounts-0-opening').fill('120,00');
  await page.locator('#bankAccounts-0-closing').fill('35,10');
  await next(page, 'housing');

  // Housing: the cost, then its bill uploaded (the typed cost is saved first with "Save draft").
  await page.locator('#housingCosts-0-kind').selectOption('heating');
  await page.locator('#housingCosts-0-amount').fill('85,20');
  await page.locator('#housingCosts-0-payee').fill('Tukuma siltums');
  await Promise.all([page.waitForURL(/done=draftSaved/), page.getByTestId('save').click()]);
  await page
    .locator('#bills-input')
    .setInputFiles({ name: 'apkure-2026-11.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.locator('#costKind').selectOption('heating');
  await Promise.all([page.waitForURL(/done=billsAdded/), page.getByTestId('bills-upload').click()]);
  await expectText(page, '[data-testid=bills]', 'apkure-2026-11.pdf');
  expect(await page.locator('#housingCosts-0-amount').inputValue()).toBe('85.20');
  await next(page, 'benefits');

  await page.locator('#benefits-gmi').check();
  await page.locator('#benefits-housing-benefit').check();
  await page.locator('#paymentAccount').fill('LV80BANK0000435195001');
  await next(page, 'review');
  await expectText(page, '[data-testid=summary-incomes]', '€450.50');
  await expectText(page, '[data-testid=summary-housing]', 'apkure-2026-11.pdf');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.locator('#truthDeclared').check();
  await Promise.all([
    // The submission opens the case: the resident lands on its page.
    page.waitForURL(/\/social-assistance\/cases\//),
    page.getByTestId('submit').click(),
  ]);
  await expectText(page, '[data-testid=submitted]', 'Application submitted');
  await expectText(page, '[data-testid=channel]', 'online');
  await screenshot(page, 'social-assistance-application-submitted');

  const caseId = page.url().split('/social-assistance/cases/')[1].split(/[?#]/)[0];
  const app = await h.tenantDb.run(h.municipalityId, (em) =>
    em.findOneByOrFail(SocialAssistanceApplication, { caseId }),
  );
  expect(app.status).toBe('submitted');
  expect(app.data.members.map((m) => m.personalCode)).toEqual([DEV_CITIZEN.code, SPOUSE]);
  expect(app.data.regularIncomes[0].months[app.incomeMonths[2]]).toBe(120000);
  expect(app.data.benefits).toEqual(['gmi', 'housing-benefit']);
});

async function expectText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).first().waitFor();
  expect(await page.locator(selector).first().textContent()).toContain(text);
}
