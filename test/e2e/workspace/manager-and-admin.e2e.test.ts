import { randomUUID } from 'node:crypto';
import { TaskService } from '../../../src/cases/task.service';
import { CalendarService } from '../../../src/deadlines/calendar/calendar.service';
import { localDate } from '../../../src/deadlines/calendar/time-zone';
import { addDays } from '../../../src/deadlines/calendar/working-days';
import { DeadlinesService } from '../../../src/deadlines/deadlines.service';
import { launchBrowser, type TestBrowser } from '../../support/browser';
import { startApp, type RunningApp } from '../../support/app';
import { defineReferenceRule } from '../../support/workspace-fixtures';
import { AccountsService } from '../../../src/platform/accounts/accounts.service';
import { checkPage, staffSignIn } from './e2e-support';
import { createMunicipality } from '../../factories/municipalities';
import { openReferenceCase } from '../../factories/cases';

jest.setTimeout(120_000);

let app: RunningApp;
let tb: TestBrowser;
let mun: string;
let ruleKey: string;

const enDate = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

beforeAll(async () => {
  [app, tb] = await Promise.all([
    startApp({ ENGINE_EXECUTOR_ID: `e2e-${randomUUID().slice(0, 8)}` }),
    launchBrowser(),
  ]);
  mun = (await createMunicipality(app.app)).id;
  ruleKey = await defineReferenceRule(app.app);
});
afterAll(async () => {
  await tb?.close();
  await app?.close();
});

async function caseworker(name: string): Promise<string> {
  const accounts = app.app.get(AccountsService);
  const acc = await accounts.createStaff({
    username: `cw.${randomUUID().slice(0, 8)}`,
    displayName: name,
    password: `pw-${randomUUID()}`,
  });
  await accounts.grant(acc.id, mun, 'caseworker');
  return acc.id;
}

describe('a manager', () => {
  it('finds an overdue case from the dashboard and reassigns it', async () => {
    const anna = await caseworker('Anna Overloaded');
    await caseworker('Pēteris Available');
    const c = await openReferenceCase(app.app, mun, {
      ruleKey,
      title: 'Long-running reference',
      startedAt: new Date(Date.now() - 40 * 86_400_000),
    });
    await app.app
      .get(TaskService)
      .claim({ accountId: anna, municipalityId: mun, roles: ['caseworker'] }, c.taskId);

    const page = await tb.newPage();
    await staffSignIn(page, app.url, app.app, mun, ['manager'], 'Mara Manager');
    await page.goto(`${app.url}/workspace/dashboard?lang=en`);
    const row = page.getByTestId('overdue').locator(`tr[data-case="${c.number}"]`);
    expect(await row.textContent()).toContain('Anna Overloaded');
    expect(await page.getByTestId('weekly').textContent()).toMatch(/\d/);
    await checkPage(page, 'workspace-dashboard');

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download as CSV' }).first().click(),
    ]);
    const text = await (await csv.createReadStream()).toArray();
    expect(Buffer.concat(text).toString('utf8')).toContain(c.number);

    await row.getByRole('link', { name: c.number }).click();
    await page.waitForURL(new RegExp(`/workspace/cases/${c.caseId}`));
    await page.locator(`#assignee-${c.taskId}`).selectOption({ label: 'Pēteris Available' });
    await page.getByRole('button', { name: 'Reassign' }).click();
    await page.waitForURL(/done=reassigned/);
    expect(await page.locator(`tr[data-task="${c.taskId}"]`).textContent()).toContain(
      'Pēteris Available',
    );
    expect(await page.getByTestId('timeline').textContent()).toContain('Task reassigned');
    await checkPage(page, 'workspace-case-file-manager');

    await page.goto(`${app.url}/workspace/dashboard?lang=lv`);
    await checkPage(page, 'workspace-dashboard-lv');
    await page.goto(`${app.url}/workspace/dashboard?lang=el`);
    await checkPage(page, 'workspace-dashboard-el');
    await page.close();
  });
});

describe('an administrator', () => {
  it('adds a calendar exception and sees a running due date move', async () => {
    const c = await openReferenceCase(app.app, mun, { ruleKey, title: 'Deadline that moves' });
    const deadlines = app.app.get(DeadlinesService);
    const [before] = await deadlines.listForCase(mun, c.caseId);
    const { calendar, timeZone } = await app.app.get(CalendarService).forMunicipality(mun);
    let day = addDays(localDate(new Date(), timeZone), 1);
    while (!calendar.isWorkingDay(day)) day = addDays(day, 1);

    const page = await tb.newPage();
    // Administrators open no case file (issue 12 H1): this one also manages, to watch the due date on the case page.
    await staffSignIn(page, app.url, app.app, mun, ['administrator', 'manager']);
    await page.goto(`${app.url}/workspace/cases/${c.caseId}?lang=en`);
    expect(await page.getByTestId('deadline-due').textContent()).toContain(enDate(before.dueOn));

    await page.goto(`${app.url}/admin?lang=en`);
    await checkPage(page, 'admin-home');
    await page.getByRole('link', { name: 'Working-day calendar' }).click();
    await checkPage(page, 'admin-calendar');
    await page.getByRole('button', { name: 'Add exception' }).click();
    expect(await page.locator('.govuk-error-summary').count()).toBe(1);
    await page.locator('#date').fill(day);
    await page.getByLabel('Extra day off').check();
    await page.locator('#note').fill('Decreed day off');
    await page.getByRole('button', { name: 'Add exception' }).click();
    await page.waitForURL(/done=exceptionAdded/);
    expect(await page.getByTestId('exceptions').textContent()).toContain('Decreed day off');

    const [after] = await deadlines.listForCase(mun, c.caseId);
    expect(after.dueOn > before.dueOn).toBe(true);
    await page.goto(`${app.url}/workspace/cases/${c.caseId}?lang=en`);
    expect(await page.getByTestId('deadline-due').textContent()).toContain(enDate(after.dueOn));
    await checkPage(page, 'workspace-case-file-after-exception');

    for (const [link, shot] of [
      ['/admin/users', 'admin-users'],
      ['/admin/parameters', 'admin-parameters'],
      ['/admin/templates', 'admin-templates'],
      ['/admin/deliveries', 'admin-deliveries'],
      ['/admin/calendar?lang=lv', 'admin-calendar-lv'],
      ['/admin/calendar?lang=el', 'admin-calendar-el'],
    ]) {
      await page.goto(`${app.url}${link}`);
      await checkPage(page, shot);
    }
    await page.close();
  });
});
