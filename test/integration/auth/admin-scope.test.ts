import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Account } from '../../../src/platform/accounts/account.entity';
import { AccountsService } from '../../../src/platform/accounts/accounts.service';
import { RoleAssignment } from '../../../src/platform/accounts/role-assignment.entity';
import { HttpSession } from '../../../src/platform/auth/http-session.entity';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { startApp, type RunningApp } from '../../support/app';
import { signInStaff, type Session } from '../../support/session';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(120_000);

/**
 * Issue 12 M1: a Nafplio administrator granted itself a role on a Tukums caseworker, then disabled
 * that account. An administrator manages only accounts of their own municipality.
 */
let app: RunningApp;
let ds: DataSource;
let nafplio: string;
let tukums: string;
let nafplioAdmin: Session;
let tukumsCaseworker: Session;

const api = (s: Session, path: string) => s.agent.post(path).set(s.headers).send({});
const form = (s: Session, path: string, fields: Record<string, string>) =>
  s.agent
    .post(path)
    .type('form')
    .send({ _csrf: s.csrf, ...fields });
const refusals = async (municipalityId: string, accountId: string) =>
  (
    (await app.app
      .get(TenantDb)
      .run(municipalityId, (em) =>
        em.query(
          `SELECT details->>'op' AS op FROM audit_log WHERE action = 'auth.account_change_refused' AND subject_id = $1 ORDER BY seq`,
          [accountId],
        ),
      )) as { op: string }[]
  ).map((r) => r.op);
const rolesOf = async (accountId: string) =>
  (await ds.getRepository(RoleAssignment).findBy({ accountId }))
    .map(
      (r) =>
        `${r.municipalityId === tukums ? 'tukums' : r.municipalityId === nafplio ? 'nafplio' : 'other'}:${r.role}`,
    )
    .sort();

beforeAll(async () => {
  app = await startApp({ ENGINE_EXECUTOR_ID: `m1-${randomUUID().slice(0, 8)}` });
  ds = app.app.get(DataSource);
  nafplio = (await createMunicipality(app.app)).id;
  tukums = (await createMunicipality(app.app)).id;
  nafplioAdmin = await signInStaff(app.app, nafplio, ['administrator']);
  tukumsCaseworker = await signInStaff(app.app, tukums, ['caseworker']);
});
afterAll(() => app?.close());

describe('an administrator and accounts of another municipality', () => {
  it('cannot grant or revoke a role on them through the admin pages: 404, nothing changes, the attempt is audited', async () => {
    await form(nafplioAdmin, `/admin/users/${tukumsCaseworker.accountId}/roles`, {
      role: 'caseworker',
      op: 'grant',
    }).expect(404);
    await form(nafplioAdmin, `/admin/users/${tukumsCaseworker.accountId}/roles`, {
      role: 'caseworker',
      op: 'revoke',
    }).expect(404);
    expect(await rolesOf(tukumsCaseworker.accountId)).toEqual(['tukums:caseworker']);
    expect(await refusals(nafplio, tukumsCaseworker.accountId)).toEqual(['grant', 'revoke']);
  });

  it('cannot disable or enable them through the API: 404, the account and its sessions stay', async () => {
    const sessions = await ds
      .getRepository(HttpSession)
      .countBy({ accountId: tukumsCaseworker.accountId });
    expect(sessions).toBeGreaterThan(0);
    await api(nafplioAdmin, `/api/admin/accounts/${tukumsCaseworker.accountId}/disable`).expect(
      404,
    );
    await api(nafplioAdmin, `/api/admin/accounts/${tukumsCaseworker.accountId}/enable`).expect(404);
    expect(
      (await ds.getRepository(Account).findOneByOrFail({ id: tukumsCaseworker.accountId }))
        .disabled,
    ).toBe(false);
    expect(
      await ds.getRepository(HttpSession).countBy({ accountId: tukumsCaseworker.accountId }),
    ).toBe(sessions);
    await tukumsCaseworker.agent
      .get('/api/auth/session')
      .expect(200)
      .expect((r) => expect(r.body.user).not.toBeNull());
    expect(await refusals(nafplio, tukumsCaseworker.accountId)).toEqual([
      'grant',
      'revoke',
      'disable',
      'enable',
    ]);
  });

  it('cannot reach an account that also holds a role elsewhere (a platform operator manages those), even one holding a role in its own municipality', async () => {
    const both = await signInStaff(app.app, tukums, ['caseworker']);
    await app.app.get(AccountsService).grant(both.accountId, nafplio, 'caseworker');
    await api(nafplioAdmin, `/api/admin/accounts/${both.accountId}/disable`).expect(404);
    await form(nafplioAdmin, `/admin/users/${both.accountId}/roles`, {
      role: 'manager',
      op: 'grant',
    }).expect(404);
    expect(await rolesOf(both.accountId)).toEqual(['nafplio:caseworker', 'tukums:caseworker']);
    expect((await ds.getRepository(Account).findOneByOrFail({ id: both.accountId })).disabled).toBe(
      false,
    );
  });

  it('still manages accounts of its own municipality (grant, revoke, disable, enable)', async () => {
    const own = await signInStaff(app.app, nafplio, ['caseworker']);
    await form(nafplioAdmin, `/admin/users/${own.accountId}/roles`, {
      role: 'manager',
      op: 'grant',
    }).expect(303);
    expect(await rolesOf(own.accountId)).toEqual(['nafplio:caseworker', 'nafplio:manager']);
    await form(nafplioAdmin, `/admin/users/${own.accountId}/roles`, {
      role: 'manager',
      op: 'revoke',
    }).expect(303);
    const disabled = await api(nafplioAdmin, `/api/admin/accounts/${own.accountId}/disable`).expect(
      200,
    );
    expect(disabled.body).toEqual({ disabled: true, sessionsEnded: 1 });
    await api(nafplioAdmin, `/api/admin/accounts/${own.accountId}/enable`).expect(200);
    expect((await ds.getRepository(Account).findOneByOrFail({ id: own.accountId })).disabled).toBe(
      false,
    );
    expect(await refusals(nafplio, own.accountId)).toEqual([]);
  });
});
