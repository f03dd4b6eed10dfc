import { Account } from '../../../src/platform/accounts/account.entity';
import { Clock } from '../../../src/platform/auth/clock';
import {
  DirectoryService,
  type DirectorySettingsInput,
} from '../../../src/platform/auth/directory/directory.service';
import { SignInAttempt } from '../../../src/platform/auth/sign-in-attempt.entity';
import { I18nService } from '../../../src/platform/i18n/i18n.service';
import type { Municipality } from '../../../src/platform/tenancy/municipality.entity';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { freePort } from '../../support/built-app';
import { type Slapd, startSlapd } from '../../support/slapd';
import { signInStaff } from '../../support/session';
import { enrolTotp } from '../../support/two-factor';
import { type AuthApp, Browser, signIn, startAuthApp } from './auth-support';
import { createMunicipality } from '../../factories/municipalities';
import { createStaff } from '../../factories/accounts';

jest.setTimeout(60_000);

const GROUPS = ['caseworkers', 'managers', 'admins', 'disabled', 'others'];

/** Settings as an IT department would enter them for this directory (search with a service account). */
const settingsFor = (
  d: Slapd,
  extra: Partial<DirectorySettingsInput> = {},
): DirectorySettingsInput => ({
  enabled: true,
  url: d.url,
  caCertificate: '',
  bindDn: d.serviceDn,
  bindPassword: d.servicePassword,
  userDnTemplate: '',
  userBaseDn: `ou=people,${d.suffix}`,
  userFilter: '(&(objectClass=inetOrgPerson)(uid={login}))',
  groupBaseDn: `ou=groups,${d.suffix}`,
  groupMemberAttribute: 'member',
  disabledFilter: '(pwdAccountLockedTime=*)',
  disabledGroupDn: d.groupDn('disabled'),
  roleMappings: [
    `caseworker ${d.groupDn('caseworkers')}`,
    `manager ${d.groupDn('managers')}`,
    `administrator ${d.groupDn('admins')}`,
  ].join('\n'),
  ...extra,
});

/**
 * Issue 14 item 6: staff sign in through the municipality's LDAP directory, over the real protocol
 * against a private OpenLDAP (slapd) per municipality.
 */
describe('LDAP staff directory sign-in', () => {
  let a: AuthApp;
  let dirA: Slapd;
  let dirB: Slapd;
  let mA: Municipality;
  let mB: Municipality;
  let mDown: Municipality;
  let mTemplate: Municipality;
  let mTls: Municipality;
  let mTlsUntrusted: Municipality;
  let now = Date.now();

  beforeAll(async () => {
    [dirA, dirB] = await Promise.all([
      startSlapd({
        suffix: 'dc=tukums,dc=test',
        groups: GROUPS,
        users: [
          { uid: 'alice', password: 'alice-pw-A', name: 'Alice Ābele', groups: ['caseworkers'] },
          { uid: 'bob', password: 'bob-pw-A', name: 'Bob Bērziņš', groups: ['caseworkers'] },
          { uid: 'carol', password: 'carol-pw-A', name: 'Carol Cīrule', groups: ['others'] },
          {
            uid: 'dora',
            password: 'dora-pw-A',
            name: 'Dora Dūna',
            groups: ['caseworkers'],
            locked: true,
          },
          {
            uid: 'eve',
            password: 'eve-pw-A',
            name: 'Eve Ērgle',
            groups: ['caseworkers', 'disabled'],
          },
          { uid: 'frank', password: 'frank-pw-A', name: 'Frank Fogels', groups: ['managers'] },
          { uid: 'gina', password: 'gina-pw-A', name: 'Gina Grava', groups: ['caseworkers'] },
          { uid: 'hugo', password: 'hugo-pw-A', name: 'Hugo Heniņš', groups: ['caseworkers'] },
          { uid: 'ivan', password: 'ivan-pw-A', name: 'Ivan Ivanovs', groups: ['caseworkers'] },
          { uid: 'jana', password: 'jana-pw-A', name: 'Jana Jansone', groups: ['caseworkers'] },
          { uid: 'zed', password: 'zed-pw-A', name: 'Zed Zariņš', groups: ['caseworkers'] },
        ],
      }),
      startSlapd({
        suffix: 'dc=talsi,dc=test',
        tls: true,
        groups: GROUPS,
        users: [
          { uid: 'alice', password: 'alice-pw-B', name: 'Alise Bērza', groups: ['caseworkers'] },
        ],
      }),
    ]);
    a = await startAuthApp({ SIGN_IN_RATE_LIMIT: '3', DIRECTORY_RECHECK_MINUTES: '5' });
    a.app.get(Clock).now = () => new Date(now);
    [mA, mB, mDown, mTemplate, mTls, mTlsUntrusted] = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() => createMunicipality(a.ds)),
    );
    const directory = a.app.get(DirectoryService);
    await directory.save(mA.id, settingsFor(dirA), null);
    await directory.save(mB.id, settingsFor(dirB), null);
    // Nothing listens on this port: the directory is down.
    await directory.save(
      mDown.id,
      settingsFor(dirA, { url: `ldap://127.0.0.1:${await freePort()}` }),
      null,
    );
    // Direct bind, no service account.
    // ldaps:// with the directory's own CA, and without it (the system CAs do not know it).
    await directory.save(
      mTls.id,
      settingsFor(dirB, { url: dirB.ldapsUrl!, caCertificate: dirB.caPem! }),
      null,
    );
    await directory.save(mTlsUntrusted.id, settingsFor(dirB, { url: dirB.ldapsUrl! }), null);
    await directory.save(
      mTemplate.id,
      settingsFor(dirA, {
        bindDn: '',
        bindPassword: '',
        userDnTemplate: `uid={login},ou=people,${dirA.suffix}`,
      }),
      null,
    );
  });
  afterAll(async () => {
    await a?.close();
    await Promise.all([dirA?.stop(), dirB?.stop()]);
  });

  const session = async (
    b: Browser,
  ): Promise<{ user: { accountId: string; roles: string[]; municipalityId: string } | null }> =>
    (await b.get('/api/auth/session', { accept: 'application/json' })).json() as Promise<{
      user: { accountId: string; roles: string[]; municipalityId: string } | null;
    }>;
  const lastAttempt = (identifier: string): Promise<SignInAttempt> =>
    a.ds
      .getRepository(SignInAttempt)
      .findOneOrFail({ where: { identifier }, order: { at: 'DESC' } });
  const auditOf = (
    m: Municipality,
    accountId: string,
  ): Promise<{ action: string; details: Record<string, unknown> }[]> =>
    a.app
      .get(TenantDb)
      .run(m.id, (em) =>
        em.query(`SELECT action, details FROM audit_log WHERE subject_id = $1 ORDER BY seq`, [
          accountId,
        ]),
      );
  const accountOf = (m: Municipality, login: string): Promise<Account | null> =>
    a.ds.getRepository(Account).findOneBy({ directoryMunicipalityId: m.id, directoryLogin: login });

  it('signs a directory user in, provisions the account on first sign-in (audited) and maps groups to roles', async () => {
    const b = new Browser(a.url);
    const res = await signIn(b, 'Alice', 'alice-pw-A', { municipalityId: mA.id });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/workspace');
    const s = await session(b);
    expect(s.user).toMatchObject({ municipalityId: mA.id, roles: ['caseworker'] });

    const account = await a.ds.getRepository(Account).findOneByOrFail({ id: s.user!.accountId });
    expect(account).toMatchObject({
      username: null,
      passwordHash: null,
      displayName: 'Alice Ābele',
      directoryMunicipalityId: mA.id,
      directoryLogin: 'alice',
    });
    expect(account.directoryEntryId).toMatch(/^[0-9a-f-]{36}$/); // entryUUID
    expect(await lastAttempt('alice')).toMatchObject({
      method: 'ldap',
      outcome: 'success',
      accountId: account.id,
      municipalityId: mA.id,
    });
    const audit = await auditOf(mA, account.id);
    expect(audit.map((x) => x.action)).toContain('auth.account_provisioned');

    // The second sign-in finds the same account.
    await signIn(new Browser(a.url), 'alice', 'alice-pw-A', { municipalityId: mA.id });
    expect(
      await a.ds
        .getRepository(Account)
        .countBy({ directoryMunicipalityId: mA.id, directoryEntryId: account.directoryEntryId! }),
    ).toBe(1);
  });

  it('provisions one account when the first sign-ins of a user come at once', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        signIn(new Browser(a.url), 'jana', 'jana-pw-A', { municipalityId: mA.id }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([303, 303, 303]);
    expect(
      await a.ds
        .getRepository(Account)
        .countBy({ directoryMunicipalityId: mA.id, directoryLogin: 'jana' }),
    ).toBe(1);
  });

  it('applies role changes in the directory at the next sign-in; losing every mapped group refuses sign-in', async () => {
    const first = new Browser(a.url);
    expect((await signIn(first, 'bob', 'bob-pw-A', { municipalityId: mA.id })).status).toBe(303);
    expect((await session(first)).user!.roles).toEqual(['caseworker']);

    await dirA.addToGroup('managers', 'bob');
    const second = new Browser(a.url);
    expect((await signIn(second, 'bob', 'bob-pw-A', { municipalityId: mA.id })).status).toBe(303);
    expect((await session(second)).user!.roles.sort()).toEqual(['caseworker', 'manager']);

    await dirA.removeFromGroup('caseworkers', 'bob');
    await dirA.removeFromGroup('managers', 'bob');
    const third = new Browser(a.url);
    expect((await signIn(third, 'bob', 'bob-pw-A', { municipalityId: mA.id })).status).toBe(401);
    expect(await lastAttempt('bob')).toMatchObject({
      method: 'ldap',
      outcome: 'failure',
      reason: 'no_mapped_group',
    });
    // The account keeps no role, and the sessions it had are over.
    const bob = (await accountOf(mA, 'bob'))!;
    expect(await a.accounts.municipalitiesOf(bob.id)).toEqual([]);
    expect((await session(second)).user).toBeNull();
  });

  it('refuses a user in no mapped group, and one disabled in the directory (ppolicy lock or the disabled group)', async () => {
    for (const [uid, password, reason] of [
      ['carol', 'carol-pw-A', 'no_mapped_group'],
      // The test directory has no default password policy, so the bind itself succeeds and the
      // disabled filter (pwdAccountLockedTime=*) refuses; with one, ppolicy refuses the bind too.
      ['dora', 'dora-pw-A', 'directory_disabled'],
      ['eve', 'eve-pw-A', 'directory_disabled'],
    ] as const) {
      const b = new Browser(a.url);
      const res = await signIn(b, uid, password, { municipalityId: mA.id });
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('Nepareizs lietotājvārds vai parole');
      expect((await session(b)).user).toBeNull();
      expect((await lastAttempt(uid)).reason).toBe(reason);
    }
    expect(await accountOf(mA, 'carol')).toBeNull();
    expect(await accountOf(mA, 'eve')).toBeNull();
  });

  it('ends the session of a user disabled in the directory at the next check', async () => {
    const b = new Browser(a.url);
    expect((await signIn(b, 'gina', 'gina-pw-A', { municipalityId: mA.id })).status).toBe(303);
    await dirA.lock('gina');
    // Within the re-check interval the session stands; past it the directory is asked again.
    now += 4 * 60_000;
    expect((await session(b)).user).not.toBeNull();
    now += 2 * 60_000;
    expect((await session(b)).user).toBeNull();
    const gina = (await accountOf(mA, 'gina'))!;
    expect(await a.accounts.municipalitiesOf(gina.id)).toEqual([]);
    const ended = (await auditOf(mA, gina.id)).filter(
      (x) => x.action === 'auth.directory_access_ended',
    );
    expect(ended.map((x) => x.details.reason)).toEqual(['directory_disabled']);
  });

  it('refuses a wrong password (the directory decides) and counts it in the sign-in throttle', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await signIn(new Browser(a.url), 'hugo', 'not-hugos-password', {
        municipalityId: mA.id,
      });
      expect(res.status).toBe(401);
    }
    expect(await lastAttempt('hugo')).toMatchObject({ method: 'ldap', reason: 'bad_password' });
    // Past SIGN_IN_RATE_LIMIT failures the name must wait, even with the right password.
    const res = await signIn(new Browser(a.url), 'hugo', 'hugo-pw-A', { municipalityId: mA.id });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('shows a clear, translated error when the directory cannot be reached (never a 5xx) and logs it', async () => {
    const i18n = a.app.get(I18nService);
    for (const lang of ['lv', 'en', 'el'] as const) {
      const b = new Browser(a.url);
      const token = await b.csrfFrom(`/auth/sign-in?lang=${lang}`);
      const res = await b.postForm('/auth/sign-in', {
        _csrf: token,
        username: 'ivan',
        password: 'ivan-pw-A',
        municipalityId: mDown.id,
      });
      expect(res.status).toBe(401);
      const text = i18n.t(lang, 'auth:signIn.directoryUnavailable');
      expect(text).not.toBe('auth:signIn.directoryUnavailable');
      expect(await res.text()).toContain(text.slice(0, 40));
    }
    expect(await lastAttempt('ivan')).toMatchObject({
      method: 'ldap',
      outcome: 'failure',
      reason: 'directory_unavailable',
      municipalityId: mDown.id,
    });
    // An unreachable directory is not the user's fault: not counted, the next sign-in elsewhere works.
    expect(
      (await signIn(new Browser(a.url), 'ivan', 'ivan-pw-A', { municipalityId: mA.id })).status,
    ).toBe(303);
  });

  it('escapes the user name: LDAP filter injection finds nobody', async () => {
    // Unescaped, "al*" would match alice and her password would bind.
    for (const username of [
      'al*',
      '*',
      'alice)(uid=*',
      '*)(|(uid=*',
      'alice\\2a',
      'alice)(objectClass=*',
    ]) {
      const res = await signIn(new Browser(a.url), username, 'alice-pw-A', {
        municipalityId: mA.id,
      });
      expect(res.status).toBe(401);
      expect((await lastAttempt(username.toLowerCase())).reason).toBe('unknown_user');
    }
    // The direct-bind template escapes the DN value too.
    const res = await signIn(new Browser(a.url), 'alice,ou=people', 'alice-pw-A', {
      municipalityId: mTemplate.id,
    });
    expect(res.status).toBe(401);
  });

  it('signs in by direct bind with a DN template (no service account)', async () => {
    const b = new Browser(a.url);
    expect((await signIn(b, 'zed', 'zed-pw-A', { municipalityId: mTemplate.id })).status).toBe(303);
    expect((await session(b)).user).toMatchObject({
      municipalityId: mTemplate.id,
      roles: ['caseworker'],
    });
    expect(
      (await signIn(new Browser(a.url), 'zed', 'wrong', { municipalityId: mTemplate.id })).status,
    ).toBe(401);
  });

  it('connects over ldaps:// trusting the configured CA, and refuses a server certificate it cannot verify', async () => {
    const b = new Browser(a.url);
    expect((await signIn(b, 'alice', 'alice-pw-B', { municipalityId: mTls.id })).status).toBe(303);
    expect((await session(b)).user).toMatchObject({
      municipalityId: mTls.id,
      roles: ['caseworker'],
    });
    const res = await signIn(new Browser(a.url), 'alice', 'alice-pw-B', {
      municipalityId: mTlsUntrusted.id,
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain(
      a.app.get(I18nService).t('lv', 'auth:signIn.directoryUnavailable').slice(0, 40),
    );
    expect(await lastAttempt('alice')).toMatchObject({
      municipalityId: mTlsUntrusted.id,
      reason: 'directory_unavailable',
    });
  });

  it('keeps tenancy: a user of municipality A’s directory cannot sign in to B', async () => {
    // zed exists only in A's directory; alice exists in both, as two people with their own passwords.
    expect(
      (await signIn(new Browser(a.url), 'zed', 'zed-pw-A', { municipalityId: mB.id })).status,
    ).toBe(401);
    expect(await lastAttempt('zed')).toMatchObject({
      municipalityId: mB.id,
      reason: 'unknown_user',
    });
    expect(
      (await signIn(new Browser(a.url), 'alice', 'alice-pw-A', { municipalityId: mB.id })).status,
    ).toBe(401);
    const b = new Browser(a.url);
    expect((await signIn(b, 'alice', 'alice-pw-B', { municipalityId: mB.id })).status).toBe(303);
    const inB = (await session(b)).user!;
    const inA = (await accountOf(mA, 'alice'))!;
    expect(inB.accountId).not.toBe(inA.id);
    expect((await a.accounts.municipalitiesOf(inB.accountId)).map((m) => m.municipalityId)).toEqual(
      [mB.id],
    );
    expect((await a.accounts.municipalitiesOf(inA.id)).map((m) => m.municipalityId)).toEqual([
      mA.id,
    ]);
  });

  it('local accounts with a role in the municipality sign in locally; a local account elsewhere never shadows a directory user', async () => {
    const local = await createStaff(a.app, mA.id, ['administrator']);
    const b = new Browser(a.url);
    expect(
      (await signIn(b, local.username, local.password, { municipalityId: mA.id })).status,
    ).toBe(303);
    expect((await session(b)).user).toMatchObject({ accountId: local.id, municipalityId: mA.id });
    expect(await lastAttempt(local.username)).toMatchObject({ method: 'password' });

    // "frank" is a local account of B; at A the name is the directory's.
    const frankB = await a.accounts.createStaff({
      username: 'frank',
      displayName: 'Frank of B',
      password: 'frank-local-password',
    });
    await a.accounts.grant(frankB.id, mB.id, 'caseworker');
    const c = new Browser(a.url);
    expect((await signIn(c, 'frank', 'frank-pw-A', { municipalityId: mA.id })).status).toBe(303);
    expect((await session(c)).user).toMatchObject({ municipalityId: mA.id, roles: ['manager'] });
    expect((await session(c)).user!.accountId).not.toBe(frankB.id);
  });

  it('still asks a directory account for its one-time code once enrolled', async () => {
    const b = new Browser(a.url);
    expect((await signIn(b, 'alice', 'alice-pw-A', { municipalityId: mA.id })).status).toBe(303);
    const alice = (await accountOf(mA, 'alice'))!;
    await enrolTotp(a.app, alice.id);
    const c = new Browser(a.url);
    const res = await signIn(c, 'alice', 'alice-pw-A', { municipalityId: mA.id });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/auth/sign-in/code');
    expect((await session(c)).user).toBeNull();
  });

  describe('administration page', () => {
    const form = (d: Slapd, extra: Record<string, string> = {}): Record<string, string> => {
      const { enabled, ...rest } = settingsFor(d);
      return { ...rest, enabled: enabled ? 'on' : '', bindPassword: '', ...extra };
    };
    const stored = (
      m: Municipality,
    ): Promise<{ url: string; bind_password_encrypted: string; role_mappings: unknown[] }> =>
      a.ds
        .query(
          `SELECT url, bind_password_encrypted, role_mappings FROM directory_settings WHERE municipality_id = $1`,
          [m.id],
        )
        .then((r: never[]) => r[0]);

    it('shows the municipality administrator its own settings, never the service password', async () => {
      const admin = await signInStaff(a.app, mA.id, ['administrator']);
      const res = await admin.agent.get('/admin/directory').expect(200);
      expect(res.text).toContain(dirA.url);
      expect(res.text).toContain(dirA.groupDn('caseworkers').replaceAll('=', '&#x3D;')); // as Handlebars escapes it
      expect(res.text).not.toContain(dirA.servicePassword);
      expect(res.text).not.toContain((await stored(mA)).bind_password_encrypted);
      expect(res.text).toMatch(/data-testid="bind-password-state">[^<]*(saglabāta|stored)/);
      // Directory accounts are listed with their directory login and marked as such.
      const users = await admin.agent.get('/admin/users').expect(200);
      expect(users.text).toMatch(
        /Alice Ābele<br><span class="govuk-body-s">alice<\/span> <strong class="govuk-tag govuk-tag--grey"/,
      );
      // Municipality B's administrator sees B's directory only.
      const adminB = await signInStaff(a.app, mB.id, ['administrator']);
      const resB = await adminB.agent.get('/admin/directory').expect(200);
      expect(resB.text).toContain(dirB.url);
      expect(resB.text).not.toContain(dirA.url);
      // Not for other roles.
      const caseworker = await signInStaff(a.app, mA.id, ['caseworker']);
      await caseworker.agent.get('/admin/directory').expect(403);
      await caseworker.agent
        .post('/admin/directory')
        .type('form')
        .send({ _csrf: caseworker.csrf, ...form(dirA) })
        .expect(403);
    });

    it('refuses bad settings field by field, in the user language, and changes nothing', async () => {
      const admin = await signInStaff(a.app, mA.id, ['administrator']);
      const before = await stored(mA);
      const res = await admin.agent
        .post('/admin/directory?lang=en')
        .type('form')
        .send({
          _csrf: admin.csrf,
          ...form(dirA, {
            url: 'http://ldap.example',
            userFilter: '(uid=alice',
            roleMappings:
              'superuser cn=x,dc=y\ncaseworker:residence cn=ok,dc=y\nmanager:residence cn=no,dc=y',
          }),
        })
        .expect(422);
      expect(res.text).toContain('Enter an address starting with ldap:// or ldaps://');
      expect(res.text).toContain('Enter a valid LDAP filter containing {login}');
      expect(res.text).toContain('Line 1: write a staff role');
      expect(res.text).toContain('Line 3: write a staff role');
      expect(await stored(mA)).toEqual(before);
    });

    it('saves settings (an empty password keeps the stored one, audited without it) and tests the connection', async () => {
      const admin = await signInStaff(a.app, mA.id, ['administrator']);
      const before = await stored(mA);
      await admin.agent
        .post('/admin/directory')
        .type('form')
        .send({
          _csrf: admin.csrf,
          ...form(dirA, {
            roleMappings: `caseworker ${dirA.groupDn('caseworkers')}\nmanager ${dirA.groupDn('managers')}`,
          }),
        })
        .expect(303);
      const after = await stored(mA);
      expect(after.bind_password_encrypted).toBe(before.bind_password_encrypted);
      expect(after.role_mappings).toHaveLength(2);
      const test = await admin.agent
        .post('/admin/directory/test')
        .type('form')
        .send({ _csrf: admin.csrf })
        .expect(303);
      expect(test.headers.location).toBe('/admin/directory?done=directoryReachable');
      // A new password replaces the old one, encrypted; the service bind now fails, and the test says so.
      await admin.agent
        .post('/admin/directory')
        .type('form')
        .send({ _csrf: admin.csrf, ...form(dirA, { bindPassword: 'a-wrong-service-password' }) })
        .expect(303);
      const changed = await stored(mA);
      expect(changed.bind_password_encrypted).not.toBe(before.bind_password_encrypted);
      expect(changed.bind_password_encrypted).not.toContain('a-wrong-service-password');
      const failed = await admin.agent
        .post('/admin/directory/test?lang=en')
        .type('form')
        .send({ _csrf: admin.csrf })
        .expect(422);
      expect(failed.text).toContain('The directory did not answer as expected');
      expect(
        (await signIn(new Browser(a.url), 'ivan', 'ivan-pw-A', { municipalityId: mA.id })).status,
      ).toBe(401);
      // Restored for the tests after this one.
      await admin.agent
        .post('/admin/directory')
        .type('form')
        .send({ _csrf: admin.csrf, ...form(dirA, { bindPassword: dirA.servicePassword }) })
        .expect(303);
      expect(
        (await signIn(new Browser(a.url), 'ivan', 'ivan-pw-A', { municipalityId: mA.id })).status,
      ).toBe(303);
      const audit = (await auditOf(mA, admin.accountId)).filter(
        (x) => x.action === 'auth.directory_settings_changed',
      );
      expect(audit.map((x) => x.details.passwordChanged)).toEqual([false, true, true]);
      expect(JSON.stringify(audit)).not.toContain(dirA.servicePassword);
    });
  });
});
