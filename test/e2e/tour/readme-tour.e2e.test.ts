import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Workbook } from 'exceljs';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../../support/browser';
import { eventually } from '../../support/engine-harness';
import { startShippedApp, type ShippedApp } from '../../support/shipped-app';
import { eidSignIn, staffSignIn, tourShot, TUKUMS } from '../../support/tour';

/**
 * The README's tour, as people do it, on the platform as the README brings it up: a database made by
 * `db:setup` and `seed:demo`, the app started from `dist/src/main.js`, every step from the menus a
 * person sees. Nothing here inserts a row or provides a port: what passes here works for a user.
 */
jest.setTimeout(600_000);

/** The demo resident who rents a flat (review path), as seed:demo registers her: Līga Kalniņa, Pils iela 8 - 14. */
const RENTER = '220790-14568';
const RENTED_FLAT = { search: 'Pils iela 8 - 14', code: '800000033' };
const EVIDENCE = Buffer.from('%PDF-1.4\n% lease contract with Aivars Kalējs, signed\n');

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

const shot = (page: Page, name: string): Promise<void> => tourShot(page, `tour-${name}`);

const sha256 = (buf: Buffer): string => createHash('sha256').update(buf).digest('hex');

it('the README commands prepare the database and the seed says what it made', () => {
  expect(app.setup.map((s) => s.command)).toEqual(['db:setup', 'seed:demo']);
  expect(app.setup[1].stdout).toContain('caseworker.tukums');
  expect(app.setup[1].stdout).toContain('150385-12346');
});

describe('the tour, in order', () => {
  let citizen: Page;
  let desk: Page;
  let boss: Page;
  let caseId = '';
  let caseNumber = '';
  const asked = 'The lease contract with Aivars Kalējs, all pages, signed by both';

  beforeAll(async () => {
    citizen = await b.newPage();
    desk = await b.newPage();
    boss = await b.newPage();
  });

  it('a resident declares a rented flat from the portal menus and lands on the one page of the case', async () => {
    await citizen.goto(`${app.url}/?lang=en`);
    await shot(citizen, '01-portal-home');
    await citizen
      .getByRole('link', { name: /residence/i })
      .first()
      .click();
    await citizen.getByRole('button', { name: /start/i }).click();
    await eidSignIn(citizen, RENTER, TUKUMS);
    await citizen.waitForURL(/\/residence\/declare/);
    await citizen.locator('#basis-lease').check();
    await citizen.locator('#basisNote').fill('Rented from Aivars Kalējs since 1 November');
    await citizen.locator('#addressQuery').fill(RENTED_FLAT.search);
    await citizen.getByTestId('address-search').click();
    // The search kept what was typed before it.
    expect(await citizen.locator('#basis-lease').isChecked()).toBe(true);
    expect(await citizen.locator('#basisNote').inputValue()).toBe(
      'Rented from Aivars Kalējs since 1 November',
    );
    await citizen.locator(`input[name=addressCode][value="${RENTED_FLAT.code}"]`).check();
    await shot(citizen, '02-declare-form');
    await Promise.all([
      citizen.waitForURL(/\/residence\/cases\//),
      citizen.getByTestId('declare-submit').click(),
    ]);
    caseId = new URL(citizen.url()).pathname.split('/').pop()!;
    await citizen
      .getByRole('link', { name: /my cases/i })
      .first()
      .click();
    caseNumber = (await citizen
      .locator(`a[href="/residence/cases/${caseId}"]`)
      .textContent())!.trim();
    expect(caseNumber).toMatch(/^[A-Z]{3}-\d{4}-\d{6}$/);
    await shot(citizen, '03-my-cases');
  });

  it('the caseworker finds it in the inbox, sees the facts and register results on the case page, and asks for the lease', async () => {
    await staffSignIn(desk, app.url, 'caseworker.tukums', TUKUMS);
    await desk.goto(`${app.url}/workspace?lang=en`);
    await eventually(
      async () => {
        await desk.reload();
        return (await Promise.resolve(desk.getByTestId('inbox').getByText(caseNumber).count())) > 0;
      },
      60_000,
      "desk.getByTestId('inbox').getByText(caseNumber).count()",
    );
    await shot(desk, '04-inbox');
    await desk.getByTestId('inbox').getByRole('link', { name: caseNumber }).first().click();
    expect(await desk.getByTestId('facts').textContent()).toContain('Pils iela 8');
    expect(await desk.getByTestId('facts').textContent()).toContain('Rented from Aivars Kalējs');
    expect((await desk.getByTestId('registers').textContent())!.length).toBeGreaterThan(10);
    const claim = desk.getByTestId('task-form').getByRole('button', { name: /claim/i });
    if (await claim.count()) await Promise.all([desk.waitForNavigation(), claim.click()]);
    await shot(desk, '05-case-page-review');
    const form = desk.getByTestId('task-form');
    await form.locator('input[name=outcome][value=request-documents]').check();
    await form.locator('#documentsRequested').fill(asked);
    await Promise.all([
      desk.waitForNavigation(),
      form.getByRole('button', { name: 'Record decision' }).click(),
    ]);
  });

  it('the resident sees exactly what to upload on the one case page and answers', async () => {
    await citizen.goto(`${app.url}/my-cases?lang=en`);
    await citizen.locator(`a[href="/residence/cases/${caseId}"]`).click();
    await eventually(
      async () => {
        await citizen.reload();
        return (await Promise.resolve(citizen.getByTestId('documents-asked').count())) === 1;
      },
      60_000,
      "citizen.getByTestId('documents-asked').count()",
    );
    expect(await citizen.getByTestId('documents-asked').textContent()).toContain(asked);
    await shot(citizen, '06-case-page-documents-asked');
    await citizen
      .locator('#files-input')
      .setInputFiles({ name: 'lease-contract.pdf', mimeType: 'application/pdf', buffer: EVIDENCE });
    await Promise.all([
      citizen.waitForNavigation(),
      citizen.locator('form[enctype="multipart/form-data"] button[type=submit]').click(),
    ]);
    expect(await citizen.locator('.govuk-error-summary').count()).toBe(0);
  });

  it('the manager extends the deadline from the case page and the resident gets the notice at her e-address', async () => {
    await staffSignIn(boss, app.url, 'manager.tukums', TUKUMS);
    await boss.goto(`${app.url}/workspace/cases/${caseId}?lang=en`);
    await boss.getByText('Extend the deadline').click();
    const max = await boss.locator('#newDueOn-hint').textContent();
    expect(max).toBeTruthy();
    const due = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await boss.locator('#newDueOn').fill(due);
    await boss.locator('#reason').fill('An opinion of the building authority is needed');
    await Promise.all([
      boss.waitForNavigation(),
      boss.getByRole('button', { name: 'Extend and notify the applicant' }).click(),
    ]);
    expect(await boss.locator('.govuk-error-summary').count()).toBe(0);
    await citizen.goto(`${app.url}/dev/e-adrese?lang=en`);
    await eventually(
      async () => {
        await citizen.reload();
        return (
          await Promise.resolve((await citizen.locator('main').textContent()) ?? '')
        ).includes('An opinion of the building authority is needed');
      },
      60_000,
      "(await citizen.locator('main').textContent()) ?? ''",
    );
    await shot(citizen, '07-e-address-notice');
  });

  it('the caseworker opens the uploaded lease from the case page and approves; the sealed certificate reaches the e-address and the resident downloads the same bytes', async () => {
    await desk.goto(`${app.url}/workspace/cases/${caseId}?lang=en`);
    await eventually(
      async () => {
        await desk.reload();
        return (
          (await Promise.resolve(
            desk.getByTestId('uploads').getByRole('link', { name: 'lease-contract.pdf' }).count(),
          )) === 1
        );
      },
      60_000,
      "desk.getByTestId('uploads').getByRole('link', { name: 'lease-contract.pdf' }).count()",
    );
    const [download] = await Promise.all([
      desk.waitForEvent('download'),
      desk.getByTestId('uploads').getByRole('link', { name: 'lease-contract.pdf' }).click(),
    ]);
    expect(readFileSync((await download.path())!).equals(EVIDENCE)).toBe(true);
    await eventually(
      async () => {
        await desk.reload();
        return (await Promise.resolve(desk.getByTestId('task-form').count())) === 1;
      },
      60_000,
      "desk.getByTestId('task-form').count()",
    );
    const claim = desk.getByTestId('task-form').getByRole('button', { name: /claim/i });
    if (await claim.count()) await Promise.all([desk.waitForNavigation(), claim.click()]);
    const form = desk.getByTestId('task-form');
    await form.locator('input[name=outcome][value=approve]').check();
    await Promise.all([
      desk.waitForNavigation(),
      form.getByRole('button', { name: 'Record decision' }).click(),
    ]);
    expect(await desk.locator('.govuk-error-summary').count()).toBe(0);

    await citizen.goto(`${app.url}/residence/cases/${caseId}?lang=en`);
    await eventually(
      async () => {
        await citizen.reload();
        return (await Promise.resolve(citizen.getByTestId('document-link').count())) > 0;
      },
      90_000,
      "citizen.getByTestId('document-link').count()",
    );
    await shot(citizen, '08-case-page-decided');
    const [certificate] = await Promise.all([
      citizen.waitForEvent('download'),
      citizen.getByTestId('document-link').first().click(),
    ]);
    const certBytes = readFileSync((await certificate.path())!);
    expect(certBytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(certificate.suggestedFilename()).toMatch(/^TUK-CERT-\d{4}-\d{6}\.pdf$/);

    await citizen.goto(`${app.url}/dev/e-adrese?lang=en`);
    const link = citizen.locator(`a[data-sha256="${sha256(certBytes)}"]`);
    await eventually(
      async () => {
        await citizen.reload();
        return (await Promise.resolve(link.count())) === 1;
      },
      90_000,
      'link.count()',
    );
    const [arrived] = await Promise.all([citizen.waitForEvent('download'), link.click()]);
    expect(readFileSync((await arrived.path())!).equals(certBytes)).toBe(true);
    await shot(citizen, '09-e-address-certificate');

    await desk.goto(`${app.url}/workspace/cases/${caseId}?lang=en`);
    await eventually(
      async () => {
        await desk.reload();
        return /Delivered/.test(
          await Promise.resolve((await desk.locator('#deliveries + table').textContent()) ?? ''),
        );
      },
      90_000,
      "(await desk.locator('#deliveries + table').textContent()) ?? ''",
    );
    await shot(desk, '10-case-page-delivered');
  });

  it('the manager finds an overdue case from the dashboard and reassigns it', async () => {
    await boss.goto(`${app.url}/workspace?lang=en`);
    await boss.getByRole('link', { name: 'Dashboard' }).click();
    await shot(boss, '11-dashboard');
    const overdue = boss.getByTestId('overdue');
    expect(await overdue.locator('tbody tr').count()).toBeGreaterThan(0);
    await overdue.locator('tbody tr a').first().click();
    const select = boss.locator('select[name=assigneeId]').first();
    const options = await select.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(0);
    await select.selectOption({ index: options.length - 1 });
    await Promise.all([
      boss.waitForNavigation(),
      boss.getByRole('button', { name: 'Reassign' }).first().click(),
    ]);
    expect(await boss.locator('.govuk-error-summary').count()).toBe(0);
    await shot(boss, '12-reassigned');
  });

  it('a list exports to XLSX with headers and real date cells', async () => {
    await desk.goto(`${app.url}/workspace?lang=en`);
    await desk.getByRole('link', { name: 'Lists' }).click();
    await shot(desk, '13-lists');
    const [file] = await Promise.all([
      desk.waitForEvent('download'),
      desk.getByTestId('xlsx').click(),
    ]);
    const wb = new Workbook();
    await wb.xlsx.readFile((await file.path())!);
    const sheet = wb.worksheets[0];
    const headers = (sheet.getRow(1).values as unknown[]).filter(Boolean).map(String);
    expect(headers.length).toBeGreaterThan(2);
    const dateColumns = headers
      .map((h, i) => ({ h, i: i + 1 }))
      .filter((c) => /date|from|birth/i.test(c.h));
    expect(dateColumns.length).toBeGreaterThan(0);
    expect(sheet.rowCount).toBeGreaterThan(1);
    for (const c of dateColumns) {
      const v = sheet.getRow(2).getCell(c.i).value;
      if (v !== null && v !== '')
        expect({ column: c.h, isDate: v instanceof Date }).toEqual({ column: c.h, isDate: true });
    }
  });
});
