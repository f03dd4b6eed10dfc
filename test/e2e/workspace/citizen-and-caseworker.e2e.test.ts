import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Case } from '../../../src/cases/case.entity';
import { DocumentService } from '../../../src/documents/document.service';
import { TEMPLATES } from '../../../src/documents/templates/template-registry';
import { Person } from '../../../src/persons/person.entity';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { InfoRequestService } from '../../../src/workspace/info-requests/info-request.service';
import { launchBrowser, type TestBrowser } from '../../support/browser';
import { startAuthApp, type AuthApp } from '../../integration/auth/auth-support';
import { createSealFixture, PASSPHRASE } from '../../integration/documents/support';
import { defineReferenceRule, eventually } from '../../support/workspace-fixtures';
import { checkPage, citizenSignIn, staffSignIn } from './e2e-support';
import { createMunicipality } from '../../factories/municipalities';
import { openReferenceCase } from '../../factories/cases';

jest.setTimeout(120_000);

const CITIZEN = '090602-21704'; // Elīna Liepiņa, a dev IdP identity

let app: AuthApp;
let tb: TestBrowser;
let mun: string;
let ruleKey: string;
let seal: Awaited<ReturnType<typeof createSealFixture>>;

beforeAll(async () => {
  const code = `w${randomBytes(4).toString('hex')}`;
  seal = await createSealFixture(code);
  [app, tb] = await Promise.all([
    startAuthApp({
      ENGINE_EXECUTOR_ID: `e2e-${randomUUID().slice(0, 8)}`,
      SEAL_DIR: seal.dir,
      SEAL_PASSPHRASE: PASSPHRASE,
    }),
    launchBrowser(),
  ]);
  mun = (await createMunicipality(app.app, { code })).id;
  ruleKey = await defineReferenceRule(app.app);
  // The register knows the citizen, so reads of her case file appear in her consultations report.
  await app.app.get(TenantDb).run(mun, (em) =>
    em.save(
      em.create(Person, {
        municipalityId: mun,
        personalCode: CITIZEN,
        givenName: 'Elīna',
        familyName: 'Liepiņa',
      }),
    ),
  );
});
afterAll(async () => {
  await tb?.close();
  await app?.close();
  seal?.cleanup();
});

describe('a citizen', () => {
  it('applies with a draft, answers a request with a file, downloads the decision and sees who consulted her data', async () => {
    const page = await tb.newPage();
    const base = app.url;

    await page.goto(`${base}/services?lang=en`);
    await checkPage(page, 'portal-catalogue');
    await page.getByRole('link', { name: 'Reference certificate' }).click();
    await page.getByTestId('service-card').waitFor({ state: 'visible' });
    expect(await page.getByTestId('service-card').count()).toBe(1);
    expect(await page.getByTestId('service-card').textContent()).toContain('Free of charge.');
    await checkPage(page, 'portal-service');
    await page.getByRole('button', { name: /Start now/ }).click();

    await page.waitForURL(/\/auth\/sign-in/);
    await citizenSignIn(page, mun, CITIZEN);
    expect(new URL(page.url()).pathname).toBe('/services/reference/apply');

    // Bad input: a field-level error, nothing is opened.
    await page.locator('#subjectRef').fill('no spaces allowed');
    await page.getByRole('button', { name: 'Submit application' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Use 3 to 64 letters, digits or hyphens.',
    );
    await checkPage(page, 'portal-apply-error');

    // A draft survives leaving the page.
    await page.locator('#subjectRef').fill('REF-2026-42');
    await page.locator('#note').fill('For the housing office');
    await page.getByRole('button', { name: 'Save draft' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'Your draft has been saved.',
    );
    await page.goto(`${base}/services/reference/apply`);
    expect(await page.locator('#subjectRef').inputValue()).toBe('REF-2026-42');
    await checkPage(page, 'portal-apply-draft');

    await page.getByRole('button', { name: 'Submit application' }).click();
    await page.waitForURL(/\/my-cases\/[0-9a-f-]{36}\?done=submitted/);
    const caseId = /my-cases\/([0-9a-f-]{36})/.exec(page.url())![1];
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'Your application has been received.',
    );
    await checkPage(page, 'portal-my-case-submitted');

    // The run opens the review; staff start the legal clock and ask for a document.
    await eventually(() =>
      app.app
        .get(TenantDb)
        .run(mun, (em) => em.findOne(Case, { where: { id: caseId, stage: 'review' } })),
    );
    const { DeadlinesService } = await import('../../../src/deadlines/deadlines.service');
    await app.app
      .get(DeadlinesService)
      .start({ municipalityId: mun, caseId, key: 'decision', ruleKey, startedAt: new Date() });
    await app.app
      .get(InfoRequestService)
      .ask(mun, caseId, 'system', 'Please upload the lease contract.', 10);

    await page.goto(`${base}/my-cases`);
    expect(await page.getByTestId('my-cases').textContent()).toContain('1 request for information');
    await checkPage(page, 'portal-my-cases');
    await page.locator(`a[href="/my-cases/${caseId}"]`).click();
    // The question and its answer form are on the case page itself.
    expect(await page.getByTestId('request-question').textContent()).toContain(
      'Please upload the lease contract.',
    );
    await checkPage(page, 'portal-answer');

    // A file that is not what it claims is refused with a field error.
    await page.locator('input[name=files]').setInputFiles({
      name: 'contract.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('MZ not a pdf'),
    });
    await page.getByRole('button', { name: 'Send answer' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'contract.pdf must be a PDF, JPEG or PNG file.',
    );

    await page.locator('textarea[name=answer]').fill('The contract is attached.');
    await page.locator('input[name=files]').setInputFiles({
      name: 'contract.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%test contract\n'),
    });
    await page.getByRole('button', { name: 'Send answer' }).click();
    await page.waitForURL(/done=answered/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'Your answer has been sent.',
    );

    // A decision document is issued on the case; the citizen downloads it.
    await app.app.get(DocumentService).issue({
      municipalityId: mun,
      caseId,
      stepKey: 'decision',
      templateKey: 'generic/decision',
      language: 'lv',
      data: TEMPLATES['generic/decision'].sample,
    });
    await page.goto(`${base}/my-cases/${caseId}`);
    await checkPage(page, 'portal-my-case-documents');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('my-documents').getByRole('link').first().click(),
    ]);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // A caseworker reads the case file; the citizen sees when and why.
    const staff = await tb.newPage();
    await staffSignIn(staff, base, app.app, mun, ['caseworker']);
    await staff.goto(`${base}/workspace/cases/${caseId}?lang=en`);
    expect(await staff.locator('[data-request]').first().textContent()).toContain(
      'The contract is attached.',
    );
    await page.goto(`${base}/my-data/consultations`);
    const report = await page.getByTestId('consultations').textContent();
    expect(report).toContain('Case file');
    expect(report).toContain('case handling');
    await checkPage(page, 'portal-consultations');

    for (const lang of ['lv', 'el']) {
      for (const [path, shot] of [
        ['/services', 'portal-catalogue'],
        ['/services/reference', 'portal-service'],
        ['/services/reference/apply', 'portal-apply'],
        ['/my-cases', 'portal-my-cases'],
        [`/my-cases/${caseId}`, 'portal-my-case'],
        ['/my-data/consultations', 'portal-consultations'],
      ]) {
        await page.goto(`${base}${path}?lang=${lang}`);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        await checkPage(page, `${shot}-${lang}`);
      }
    }
    await staff.close();
    await page.close();
  });
});

describe('a caseworker', () => {
  it('claims a task from the inbox, records a decision and sees the timeline update', async () => {
    const c = await openReferenceCase(app.app, mun, {
      ruleKey,
      title: 'Reference for Jānis Bērziņš',
    });
    const page = await tb.newPage();
    const base = app.url;
    await staffSignIn(page, base, app.app, mun, ['caseworker'], 'Ilze Caseworker');

    await page.goto(`${base}/workspace?lang=en`);
    const row = page.locator(`tr[data-case="${c.number}"]`);
    expect(await row.textContent()).toMatch(/working days? left/);
    await checkPage(page, 'workspace-inbox');

    await row.getByRole('button', { name: /Claim/ }).click();
    await page.waitForURL(/done=claimed/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'The task is now yours.',
    );
    await page
      .locator(`tr[data-case="${c.number}"]`)
      .getByRole('link', { name: /Open task/ })
      .click();
    await checkPage(page, 'workspace-task');

    // Keyboard only: the decision form is reachable and submittable without a mouse.
    await page.locator('#outcome').focus();
    await page.keyboard.press('Space');
    await page.locator('#reason').focus();
    await page.keyboard.type('All register data confirmed.');
    await page.getByRole('button', { name: 'Record decision' }).press('Enter');
    await page.waitForURL(new RegExp(`/workspace/cases/${c.caseId}\\?done=decided`));
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'Your decision has been recorded.',
    );

    await eventually(() =>
      app.app
        .get(TenantDb)
        .run(mun, (em) => em.findOne(Case, { where: { id: c.caseId, status: 'closed' } })),
    );
    await page.reload();
    const timeline = await page.getByTestId('timeline').textContent();
    expect(timeline).toContain('Task claimed');
    expect(timeline).toContain('by Ilze Caseworker');
    expect(timeline).toContain('Decision recorded');
    expect(timeline).toContain('Case closed');
    expect(await page.getByTestId('case-outcome').textContent()).toBe('Approved');
    await checkPage(page, 'workspace-case-file');

    for (const lang of ['lv', 'el']) {
      await page.goto(`${base}/workspace/cases/${c.caseId}?lang=${lang}`);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      await checkPage(page, `workspace-case-file-${lang}`);
      await page.goto(`${base}/workspace?lang=${lang}`);
      await checkPage(page, `workspace-inbox-${lang}`);
    }
    await page.close();
  });
});
