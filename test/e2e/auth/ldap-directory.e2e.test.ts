import type { Municipality } from '../../../src/platform/tenancy/municipality.entity';
import { freePort } from '../../support/built-app';
import {
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  type TestBrowser,
} from '../../support/browser';
import { type Slapd, startSlapd } from '../../support/slapd';
import { startAuthApp, type AuthApp } from '../../integration/auth/auth-support';
import { createMunicipality } from '../../factories/municipalities';
import { createStaff } from '../../factories/accounts';

jest.setTimeout(90_000);

/**
 * Issue 14 item 6 in a real browser: the municipality's administrator configures the staff
 * directory on its page, and a directory user signs in on the ordinary staff form.
 */
describe('LDAP staff directory in a real browser', () => {
  let a: AuthApp;
  let tb: TestBrowser;
  let dir: Slapd;
  let m: Municipality;
  let admin: { username: string; password: string };

  beforeAll(async () => {
    [a, tb, dir] = await Promise.all([
      startAuthApp(),
      launchBrowser(),
      startSlapd({
        suffix: 'dc=ogre,dc=test',
        groups: ['staff', 'managers'],
        users: [
          { uid: 'liene', password: 'liene-directory-pw', name: 'Liene Ozola', groups: ['staff'] },
        ],
      }),
    ]);
    m = await createMunicipality(a.ds);
    admin = await createStaff(a.app, m.id, ['administrator']);
  });
  afterAll(async () => {
    await tb?.close();
    await a?.close();
    await dir?.stop();
  });

  const signInOnForm = async (
    page: Awaited<ReturnType<TestBrowser['newPage']>>,
    username: string,
    password: string,
  ): Promise<void> => {
    await page.goto(`${a.url}/auth/sign-in?lang=en`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.locator('#municipalityId').selectOption(m.id);
    await page.getByTestId('password-form').getByRole('button', { name: 'Sign in' }).click();
  };

  it('the administrator configures the directory, tests the connection, and a directory user signs in', async () => {
    const page = await tb.newPage();
    await signInOnForm(page, admin.username, admin.password);
    await page.waitForURL(/\/workspace/);
    await page.goto(`${a.url}/admin/directory?lang=en`);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // A mistake first: the field says what is wrong.
    await page.getByLabel('Staff of this municipality sign in through the directory').check();
    await page.getByLabel('Directory address').fill('http://ldap.example');
    await page.getByRole('button', { name: 'Save settings' }).click();
    expect(await page.locator('#url-error').textContent()).toContain(
      'Enter an address starting with ldap:// or ldaps://',
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'admin-directory-errors');

    await page.getByLabel('Directory address').fill(dir.url);
    await page.getByLabel('Service account DN').fill(dir.serviceDn);
    await page.getByLabel('Service account password').fill(dir.servicePassword);
    await page.getByLabel('User base DN').fill(`ou=people,${dir.suffix}`);
    await page.getByLabel('Group base DN').fill(`ou=groups,${dir.suffix}`);
    await page
      .getByLabel('Group → role mapping')
      .fill(`caseworker ${dir.groupDn('staff')}\nmanager ${dir.groupDn('managers')}`);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL(/done=directorySaved/);
    expect(await page.textContent('main')).toContain('The directory settings have been saved.');
    expect(await page.getByLabel('Service account password').inputValue()).toBe('');
    expect(await page.getByTestId('bind-password-state').textContent()).toContain(
      'A password is stored',
    );
    await page.getByTestId('directory-test').click();
    await page.waitForURL(/done=directoryReachable/);
    await screenshot(page, 'admin-directory-saved');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/signedOut=1/);

    await signInOnForm(page, 'liene', 'liene-directory-pw');
    await page.waitForURL(`${a.url}/workspace`);
    expect(await page.textContent('header')).toContain('Liene Ozola');
    await screenshot(page, 'auth-directory-signed-in');
    await page.close();
  });

  it('an unreachable directory is explained on the sign-in form', async () => {
    const page = await tb.newPage();
    await a.ds.query(`UPDATE directory_settings SET url = $2 WHERE municipality_id = $1`, [
      m.id,
      `ldap://127.0.0.1:${await freePort()}`,
    ]);
    await signInOnForm(page, 'liene', 'liene-directory-pw');
    await page.waitForLoadState();
    expect(await page.textContent('.govuk-error-summary')).toContain(
      'The staff directory cannot be reached right now',
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'auth-directory-unreachable');
    await page.close();
  });
});
