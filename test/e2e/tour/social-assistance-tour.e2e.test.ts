import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { OtplibTotp } from '../../../src/platform/auth/two-factor/totp';
import { PAIN001_XSD, validateXml } from '../../../src/payments/payment-schema';
import { launchBrowser, type TestBrowser } from '../../support/browser';
import { eventually } from '../../support/engine-harness';
import { pdfsig } from '../../integration/documents/support';
import { startShippedApp, type ShippedApp } from '../../support/shipped-app';
import { eidSignIn, staffSignIn, tourShot } from '../../support/tour';

const run = promisify(execFile);

/**
 * Issue 15's tour, on the platform as the README brings it up (`db:setup`, `seed:demo`, the app
 * from `dist/src/main.js`), every step from what a person sees: a resident applies for social
 * assistance online; the registers answer, one slowly and one failing twice before it recovers
 * (set through the administrator's simulator fault switches, /api/dev/simulators, mounted in the
 * shipped app outside production); the caseworker reviews the calculation and approves; the sealed
 * decision reaches the resident's case page; the manager makes the monthly payment run, the
 * pain.001 validates against the ISO schema, and the bank's pain.002 marks the payment paid.
 * Nothing here inserts a row.
 */
jest.setTimeout(600_000);

/**
 * Līga Kalniņa, as the register simulators know her (demo-social-records.ts): lost her job in
 * June 2026, registered unemployed, an unemployment benefit of €287 a month; lives alone in a
 * rented flat. Under the needy threshold, above the GMI threshold: the housing benefit is payable.
 */
const RESIDENT = { code: '220790-14568', given: 'Līga', family: 'Kalniņa' };
const IBAN = 'LV80BANK0000435195001';
const BILL = Buffer.from('%PDF-1.4\n% Tukuma siltums, November 2026 heating bill\n%%EOF\n');
/** The slow register and the one that fails twice, then answers. */
const SLOW = 'employment';
const FAILING = 'social-insurance';

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

const shot = (page: Page, name: string): Promise<void> => tourShot(page, `sa-tour-${name}`);

async function next(page: Page, step: string): Promise<void> {
  await Promise.all([
    page.waitForURL(new RegExp(`/social-assistance/apply/${step}`)),
    page.getByTestId('next').click(),
  ]);
  expect(await page.locator('.govuk-error-summary').count()).toBe(0);
}

/** Reloads until `fn` holds (the run moves on in the background). */
async function reloadUntil(page: Page, what: string, fn: () => Promise<boolean>): Promise<void> {
  await eventually(
    async () => {
      await page.reload();
      return fn();
    },
    120_000,
    what,
  );
}

/** A bank's pain.002.001.03 answer to a pain.001: every transaction settled (ACSC). */
function bankAnswer(pain001: string): string {
  const one = (tag: string): string => new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(pain001)![1];
  const e2e = [...pain001.matchAll(/<EndToEndId>([^<]+)<\/EndToEndId>/g)].map((m) => m[1]);
  const msgId = one('MsgId');
  const tx = e2e
    .map(
      (id) =>
        `<TxInfAndSts><OrgnlEndToEndId>${id}</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt><GrpHdr><MsgId>BANK-${msgId.slice(-20)}</MsgId><CreDtTm>${new Date().toISOString().slice(0, 19)}</CreDtTm></GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>${msgId}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId><OrgnlNbOfTxs>${one('NbOfTxs')}</OrgnlNbOfTxs><OrgnlCtrlSum>${one('CtrlSum')}</OrgnlCtrlSum><GrpSts>ACSC</GrpSts></OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>${one('PmtInfId')}</OrgnlPmtInfId><PmtInfSts>ACSC</PmtInfSts>${tx}</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
`;
}

it('the seed made social assistance cases in every state for Tukums', () => {
  const out = app.setup[1].stdout;
  for (const state of [
    'granted',
    'partly granted',
    'refused',
    'waits for the caseworker',
    'waits for the information asked',
    'social assistance submitted',
    'social assistance draft',
  ])
    expect(out).toContain(state);
  expect(out).toMatch(/payment run \d{4}-\d{2} made \(\d+ lines/);
});

describe('the social assistance tour, in order', () => {
  let citizen: Page;
  let admin: Page;
  let desk: Page;
  let boss: Page;
  let caseId = '';
  let caseNumber = '';
  let csrf = '';

  beforeAll(async () => {
    citizen = await b.newPage();
    admin = await b.newPage();
    desk = await b.newPage();
    boss = await b.newPage();
  });

  it('the administrator makes one register slow and another fail twice (the simulators’ fault switches)', async () => {
    await staffSignIn(admin, app.url, 'administrator.tukums');
    // Administration needs a second factor: enrol an authenticator (the key typed into it).
    await admin.goto(`${app.url}/admin?lang=en`);
    expect(new URL(admin.url()).pathname).toBe('/auth/two-factor');
    await admin.getByRole('button', { name: 'Set up two-step verification' }).click();
    const secret = (await admin.getByTestId('totp-secret').textContent())!.trim();
    await admin.locator('#code').fill(new OtplibTotp().generate(secret, new Date()));
    await admin.getByRole('button', { name: 'Confirm' }).click();
    await admin.getByRole('link', { name: 'Continue' }).click();
    expect(new URL(admin.url()).pathname).toBe('/admin');
    csrf = (await admin.locator('input[name=_csrf]').first().getAttribute('value'))!;
    const list = await admin.request.get(`${app.url}/api/dev/simulators`);
    expect(list.status()).toBe(200);
    expect(((await list.json()) as { name: string }[]).map((s) => s.name)).toEqual(
      expect.arrayContaining([SLOW, FAILING]),
    );
  });

  it('a resident finds social assistance in the portal catalogue, signs in with eID and fills in the application', async () => {
    await citizen.goto(`${app.url}/?lang=en`);
    await citizen
      .getByRole('link', { name: /social assistance/i })
      .first()
      .click();
    await shot(citizen, '01-service');
    await citizen.getByRole('button', { name: /start/i }).click();
    await eidSignIn(citizen, RESIDENT.code);
    await citizen.waitForURL(/\/social-assistance\/apply\/household/);
    await shot(citizen, '02-household');

    expect(await citizen.locator('#members-0-personalCode').inputValue()).toBe(RESIDENT.code);
    await citizen.locator('#members-0-givenName').fill(RESIDENT.given);
    await citizen.locator('#members-0-familyName').fill(RESIDENT.family);
    await citizen.locator('#members-0-workingAge').check();
    await next(citizen, 'incomes');

    await citizen.locator('#regularIncomes-0-member').selectOption(RESIDENT.code);
    await citizen.locator('#regularIncomes-0-type').selectOption('unemployment-benefit');
    for (const m of ['m0', 'm1', 'm2'])
      await citizen.locator(`#regularIncomes-0-${m}`).fill('287,00');
    await shot(citizen, '03-incomes');
    await next(citizen, 'assets');
    await next(citizen, 'housing');

    await citizen.locator('#housingCosts-0-kind').selectOption('heating');
    await citizen.locator('#housingCosts-0-amount').fill('58,40');
    await citizen.locator('#housingCosts-0-payee').fill('Tukuma siltums');
    await Promise.all([citizen.waitForURL(/done=draftSaved/), citizen.getByTestId('save').click()]);
    await citizen
      .locator('#bills-input')
      .setInputFiles({ name: 'apkure-2026-11.pdf', mimeType: 'application/pdf', buffer: BILL });
    await citizen.locator('#costKind').selectOption('heating');
    await Promise.all([
      citizen.waitForURL(/done=billsAdded/),
      citizen.getByTestId('bills-upload').click(),
    ]);
    expect(await citizen.getByTestId('bills').textContent()).toContain('apkure-2026-11.pdf');
    await shot(citizen, '04-housing-bill');
    await next(citizen, 'benefits');

    await citizen.locator('#benefits-gmi').check();
    await citizen.locator('#benefits-housing-benefit').check();
    await citizen.locator('#paymentAccount').fill(IBAN);
    await next(citizen, 'review');
    await citizen.locator('#truthDeclared').check();
    await shot(citizen, '05-review');
  });

  it('submitted, the resident lands on the case page; the registers answer, one slowly and one after failing twice', async () => {
    const faults = async (name: string, body: Record<string, unknown>): Promise<void> => {
      const r = await admin.request.put(`${app.url}/api/dev/simulators/${name}/faults`, {
        data: body,
        headers: { 'x-csrf-token': csrf },
      });
      expect({ name, status: r.status() }).toEqual({ name, status: 200 });
    };
    await faults(SLOW, { latencyMs: 2500 });
    await faults(FAILING, { failNext: 2 });
    try {
      await Promise.all([
        citizen.waitForURL(/\/social-assistance\/cases\//),
        citizen.getByTestId('submit').click(),
      ]);
      caseId = new URL(citizen.url()).pathname.split('/').pop()!;
      await shot(citizen, '06-case-page-submitted');

      await staffSignIn(desk, app.url, 'caseworker.tukums');
      await citizen.goto(`${app.url}/my-cases?lang=en`);
      caseNumber = (await citizen
        .locator(`a[href="/social-assistance/cases/${caseId}"]`)
        .first()
        .textContent())!.trim();
      expect(caseNumber).toMatch(/^[A-Z]{3}-\d{4}-\d{6}$/);

      await desk.goto(`${app.url}/workspace/cases/${caseId}?lang=en`);
      const card = (register: string) =>
        desk.locator(`[data-testid=register-checks] [data-register="${register}"]`);
      await reloadUntil(desk, 'both registers answered', async () => {
        const s = await card(SLOW)
          .first()
          .getAttribute('data-status')
          .catch(() => null);
        const f = await card(FAILING)
          .first()
          .getAttribute('data-status')
          .catch(() => null);
        return s === 'ok' && f === 'ok';
      });
      expect(
        Number(await card(FAILING).first().getAttribute('data-attempts')),
      ).toBeGreaterThanOrEqual(3);
      const status = await admin.request.get(`${app.url}/api/dev/simulators`);
      const byName = Object.fromEntries(
        ((await status.json()) as { name: string; failed: number; failNext: number }[]).map((s) => [
          s.name,
          s,
        ]),
      );
      expect(byName[FAILING]).toMatchObject({ failNext: 0 });
      expect(byName[FAILING].failed).toBeGreaterThanOrEqual(2);
    } finally {
      for (const name of [SLOW, FAILING]) {
        const r = await admin.request.post(`${app.url}/api/dev/simulators/${name}/reset`, {
          headers: { 'x-csrf-token': csrf },
        });
        expect(r.ok()).toBe(true);
      }
    }
  });

  it('the caseworker finds the task in the inbox, reads the calculation line by line with its legal references and the register answers, and approves', async () => {
    await desk.goto(`${app.url}/workspace?lang=en`);
    await reloadUntil(
      desk,
      'the review task in the inbox',
      async () => (await desk.getByTestId('inbox').getByText(caseNumber).count()) > 0,
    );
    await shot(desk, '07-inbox');
    await desk.getByTestId('inbox').getByRole('link', { name: caseNumber }).first().click();
    await desk.getByTestId('task-form').waitFor();
    const facts = (await desk.getByTestId('facts').textContent())!;
    expect(facts).toContain('SPSPL');
    expect(facts).toContain('MK 809');
    expect(facts).toContain('€287.00');
    expect(await desk.locator('[data-testid=register-checks] [data-register]').count()).toBe(8);
    const claim = desk.getByTestId('task-form').getByRole('button', { name: /claim/i });
    if (await claim.count()) await Promise.all([desk.waitForNavigation(), claim.click()]);
    await shot(desk, '08-review');
    const form = desk.getByTestId('task-form');
    await form.locator('input[name=outcome][value=approve]').check();
    await Promise.all([
      desk.waitForNavigation(),
      form.getByRole('button', { name: 'Record decision' }).click(),
    ]);
    expect(await desk.locator('.govuk-error-summary').count()).toBe(0);
  });

  it('the sealed decision reaches the resident’s case page; the PDF downloads and its seal is valid', async () => {
    await citizen.goto(`${app.url}/social-assistance/cases/${caseId}?lang=en`);
    await reloadUntil(
      citizen,
      'the decision on the case page',
      async () => (await citizen.getByTestId('decision-documents').locator('a').count()) > 0,
    );
    await shot(citizen, '09-case-page-decided');
    const [download] = await Promise.all([
      citizen.waitForEvent('download'),
      citizen.getByTestId('decision-documents').locator('a').first().click(),
    ]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const nss = mkdtempSync(join(tmpdir(), 'sa-tour-nss-'));
    try {
      await run('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
      const ca = join(app.env.SEAL_DIR, 'dev-ca.crt.pem');
      await run('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'dev-ca', '-t', 'CT,C,C', '-i', ca]);
      expect(await pdfsig(nss, pdf)).toContain('Signature is Valid');
    } finally {
      rmSync(nss, { recursive: true, force: true });
    }
  });

  it('the manager makes the monthly payment run; the pain.001 validates against the ISO schema; the bank’s pain.002 marks the payment paid', async () => {
    await staffSignIn(boss, app.url, 'manager.tukums');
    await boss.goto(`${app.url}/workspace?lang=en`);
    await boss.getByRole('link', { name: 'Payments' }).first().click();
    await shot(boss, '10-payments');
    // A month not yet run (the demo seed ran this month's already): this month, else the next.
    const taken = (
      await boss.getByTestId('payment-runs').locator('tbody tr a').allTextContents()
    ).map((s) => s.trim());
    const now = new Date();
    const months = [0, 1, 2].map((k) =>
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1)).toISOString().slice(0, 7),
    );
    const month = months.find((m) => !taken.includes(m))!;
    await boss.locator('#month').fill(month);
    await Promise.all([
      boss.waitForURL(/\/workspace\/payments\/runs\/[^/?]+\?done=runCreated/),
      boss.locator('form[action="/workspace/payments/runs"] button[type=submit]').click(),
    ]);
    await shot(boss, '11-payment-run');
    expect(await boss.getByTestId('run-lines').textContent()).toContain(caseNumber);

    const [file] = await Promise.all([
      boss.waitForEvent('download'),
      boss.getByTestId('download-pain001').click(),
    ]);
    const xmlPath = (await file.path())!;
    expect(await validateXml(PAIN001_XSD, { file: xmlPath })).toEqual({ valid: true, errors: [] });
    const pain001 = readFileSync(xmlPath, 'utf8');
    expect(pain001).toContain(IBAN);

    const dir = mkdtempSync(join(tmpdir(), 'sa-tour-pain002-'));
    try {
      const answer = join(dir, 'pain002.xml');
      writeFileSync(answer, bankAnswer(pain001));
      await boss.goto(`${app.url}/workspace/payments?lang=en`);
      await boss.locator('#file-input').setInputFiles(answer);
      await Promise.all([
        boss.waitForNavigation(),
        boss
          .locator('form[action^="/workspace/payments/status-reports"] button[type=submit]')
          .click(),
      ]);
      expect(await boss.locator('.govuk-error-summary').count()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await boss.goto(`${app.url}/workspace/payments?lang=en`);
    await boss.getByTestId('payment-runs').getByRole('link', { name: month }).click();
    const row = boss.getByTestId('run-lines').locator('tr', { hasText: caseNumber });
    expect(await row.getByTestId('line-status').textContent()).toContain('Paid');
    await shot(boss, '12-run-paid');

    await citizen.goto(`${app.url}/social-assistance/cases/${caseId}?lang=en`);
    expect(await citizen.getByTestId('payments').textContent()).toMatch(/paid/i);
    await shot(citizen, '13-case-page-paid');
  });
});
