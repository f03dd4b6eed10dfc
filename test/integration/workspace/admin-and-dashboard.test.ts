import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TaskService } from '../../../src/cases/task.service';
import { DeadlineRule } from '../../../src/deadlines/deadline-rule.entity';
import { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import { OutboxService } from '../../../src/delivery/outbox.service';
import { ParametersService } from '../../../src/parameters/parameters.service';
import { RoleAssignment } from '../../../src/platform/accounts/role-assignment.entity';
import { Account } from '../../../src/platform/accounts/account.entity';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { startApp, type RunningApp } from '../../support/app';
import { signInStaff, type Session } from '../../support/session';
import { defineReferenceRule } from '../../support/workspace-fixtures';
import { createMunicipality } from '../../factories/municipalities';
import { openReferenceCase } from '../../factories/cases';

jest.setTimeout(60_000);

let app: RunningApp;
let mun: string;
let admin: Session;
let manager: Session;
let caseworker: Session;

const form = (s: Session, path: string, fields: Record<string, string>) =>
  s.agent
    .post(path)
    .type('form')
    .send({ _csrf: s.csrf, ...fields });
const auditCount = async (action: string) =>
  (
    (await app.app
      .get(TenantDb)
      .run(mun, (em) =>
        em.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1`, [action]),
      )) as [{ n: number }]
  )[0].n;

beforeAll(async () => {
  app = await startApp({ ENGINE_EXECUTOR_ID: `adm-${randomUUID().slice(0, 8)}` });
  mun = (await createMunicipality(app.app)).id;
  admin = await signInStaff(app.app, mun, ['administrator']);
  manager = await signInStaff(app.app, mun, ['manager']);
  caseworker = await signInStaff(app.app, mun, ['caseworker']);
});
afterAll(() => app?.close());

describe('administration', () => {
  it('is refused to staff without the administrator role', async () => {
    await caseworker.agent.get('/admin').expect(403);
    await form(caseworker, '/admin/calendar', { date: '2030-01-02', kind: 'extra_holiday' }).expect(
      403,
    );
    expect((await caseworker.agent.get('/workspace').expect(200)).text).not.toContain(
      'href="/admin"',
    );
    expect((await admin.agent.get('/workspace').expect(200)).text).toContain('href="/admin"');
  });

  it('creates a staff account with a role, refusing a weak password field by field', async () => {
    const username = `new.${randomUUID().slice(0, 6)}`;
    const weak = await form(admin, '/admin/users?lang=en', {
      username,
      displayName: 'New Person',
      password: 'short',
      role: 'caseworker',
    }).expect(422);
    expect(weak.text).toContain('href="#password"');
    expect(await app.app.get(DataSource).getRepository(Account).countBy({ username })).toBe(0);
    await form(admin, '/admin/users', {
      username,
      displayName: 'New Person',
      password: 'a-long-enough-password',
      role: 'caseworker',
    }).expect(303);
    const acc = await app.app.get(DataSource).getRepository(Account).findOneByOrFail({ username });
    await form(admin, `/admin/users/${acc.id}/roles`, { role: 'manager', op: 'grant' }).expect(303);
    const roles = async () =>
      (
        await app.app
          .get(DataSource)
          .getRepository(RoleAssignment)
          .findBy({ accountId: acc.id, municipalityId: mun })
      )
        .map((r) => r.role)
        .sort();
    expect(await roles()).toEqual(['caseworker', 'manager']);
    await form(admin, `/admin/users/${acc.id}/roles`, { role: 'caseworker', op: 'revoke' }).expect(
      303,
    );
    expect(await roles()).toEqual(['manager']);
    expect((await admin.agent.get('/admin/users').expect(200)).text).toContain('New Person');
    expect(await auditCount('admin.role_granted')).toBe(1);
  });

  it('refuses a calendar exception without a valid date and adds nothing', async () => {
    const res = await form(admin, '/admin/calendar?lang=en', {
      date: 'tomorrow',
      kind: 'extra_holiday',
    }).expect(422);
    expect(res.text).toContain('govuk-error-summary');
    expect(
      (
        await app.app
          .get(DataSource)
          .query(`SELECT count(*)::int AS n FROM calendar_exceptions WHERE municipality_id = $1`, [
            mun,
          ])
      )[0].n,
    ).toBe(0);
  });

  it('refuses a new version of a national deadline rule, audited, and shows the rules without a form', async () => {
    const ruleKey = await defineReferenceRule(app.app);
    const res = await form(admin, '/admin/parameters?lang=en', {
      ruleKey,
      amount: '15',
      maxExtension: '30',
      validFrom: '2031-01-01',
      note: 'law change',
    }).expect(403);
    expect(res.text).toContain('cannot be changed here');
    const versions = await app.app
      .get(DataSource)
      .getRepository(DeadlineRule)
      .find({ where: { ruleKey }, order: { validFrom: 'ASC' } });
    expect(versions.map((v) => [v.amount, v.validFrom, v.validTo])).toEqual([
      [10, '2000-01-01', null],
    ]);
    expect(await auditCount('admin.deadline_rule_defined.refused')).toBe(1);
    const page = (await admin.agent.get('/admin/parameters?lang=en').expect(200)).text;
    expect(page).toContain(ruleKey);
    expect(page).not.toContain('action="/admin/parameters"');
    expect(page).toContain('data-testid="rules-national"');
  });

  it('keeps fees as effective-dated versions, municipal overrides over national ones, refusing a bad value', async () => {
    const key = `test-${randomUUID().slice(0, 6)}.fee`;
    const params = app.app.get(ParametersService);
    // National values come from the seed, never from a municipality's administrator.
    await params.define({
      country: 'LV',
      municipalityId: null,
      key,
      value: '4.27',
      unit: 'EUR',
      validFrom: '2020-01-01',
      note: 'MK 720/2009',
    });
    await params.define({
      country: 'LV',
      municipalityId: null,
      key,
      value: '5,00',
      unit: 'EUR',
      validFrom: '2031-01-01',
    });
    const bad = await form(admin, '/admin/parameters/values?lang=en', {
      key,
      value: 'four',
      unit: 'EUR',
      validFrom: '2025-01-01',
    }).expect(422);
    expect(bad.text).toContain('Enter a number with at most 4 decimals');
    expect((await params.effective(mun, key, '2030-12-31')).value).toBe('4.2700');
    expect((await params.effective(mun, key, '2031-01-01')).value).toBe('5.0000');
    await form(admin, '/admin/parameters/values', {
      key,
      value: '0',
      unit: 'EUR',
      validFrom: '2025-01-01',
      note: 'council decision',
    }).expect(303);
    expect((await params.effective(mun, key, '2030-12-31')).value).toBe('0.0000');
    await expect(params.effective(mun, key, '2019-12-31')).rejects.toThrow(/no parameter/);
    const page = (await admin.agent.get('/admin/parameters?lang=en').expect(200)).text;
    expect(page).toContain(key);
    expect(page).not.toContain('name="scope"');
    // Amounts as people write them; a list parameter (the annulment grounds) as its items, in the reader's language.
    expect(page).toContain('>4.27 EUR<');
    expect(page).toContain('>14 days<');
    expect(page).not.toMatch(/\d\.0000/);
    expect(page).toContain('The person has no legal basis to live at the declared residence');
    expect(page).toContain('(no-legal-basis; ');
    expect(await auditCount('admin.parameter_defined')).toBe(1);
  });

  it('refuses a national amount from a municipal administrator, audited, and stores nothing', async () => {
    const key = `test-${randomUUID().slice(0, 6)}.fee`;
    const res = await form(admin, '/admin/parameters/values?lang=en', {
      key,
      value: '9',
      unit: 'EUR',
      validFrom: '2020-01-01',
      scope: 'country',
    }).expect(403);
    expect(res.text).toContain('cannot be changed here');
    expect(
      (
        await app.app
          .get(DataSource)
          .query(`SELECT count(*)::int AS n FROM parameters WHERE key = $1`, [key])
      )[0].n,
    ).toBe(0);
    expect(await auditCount('admin.parameter_defined.refused')).toBe(1);
  });

  it('shows national calendar days without a remove button and refuses adding or removing them, audited', async () => {
    const ds = app.app.get(DataSource);
    const [national] = (await ds.query(
      `INSERT INTO calendar_exceptions (country, municipality_id, date, kind, note) VALUES ('LV', NULL, '2097-06-03', 'extra_holiday', 'national test day') RETURNING id`,
    )) as [{ id: string }];
    try {
      const page = (await admin.agent.get('/admin/calendar?lang=en').expect(200)).text;
      expect(page).toContain('national test day');
      expect(page).not.toContain(`/admin/calendar/${national.id}/remove`);
      const removed = await form(admin, `/admin/calendar/${national.id}/remove?lang=en`, {}).expect(
        403,
      );
      expect(removed.text).toContain('cannot be changed here');
      expect(
        (
          await ds.query(`SELECT count(*)::int AS n FROM calendar_exceptions WHERE id = $1`, [
            national.id,
          ])
        )[0].n,
      ).toBe(1);
      await form(admin, '/admin/calendar?lang=en', {
        date: '2097-06-04',
        kind: 'extra_holiday',
        scope: 'country',
      }).expect(403);
      expect(
        (
          await ds.query(
            `SELECT count(*)::int AS n FROM calendar_exceptions WHERE date = '2097-06-04'`,
          )
        )[0].n,
      ).toBe(0);
      expect(await auditCount('admin.calendar_exception_removed.refused')).toBe(1);
      expect(await auditCount('admin.calendar_exception_added.refused')).toBe(1);

      await form(admin, '/admin/calendar', {
        date: '2097-06-05',
        kind: 'extra_holiday',
        note: 'council day',
      }).expect(303);
      const own = (await ds.query(
        `SELECT id, municipality_id FROM calendar_exceptions WHERE date = '2097-06-05'`,
      )) as { id: string; municipality_id: string }[];
      expect(own.map((r) => r.municipality_id)).toEqual([mun]);
      // The page lists it with a remove button named for its date (screen readers hear "Remove 5 Jun 2097").
      const listed = (
        await admin.agent.get('/admin/calendar?lang=en&done=exceptionAdded').expect(200)
      ).text;
      expect(listed).toMatch(
        new RegExp(
          `action="/admin/calendar/${own[0].id}/remove"[\\s\\S]*?govuk-visually-hidden"> 5 Jun 2097</span>`,
        ),
      );
      await form(admin, `/admin/calendar/${own[0].id}/remove`, {}).expect(303);
    } finally {
      await ds.query(`DELETE FROM calendar_exceptions WHERE id = $1`, [national.id]);
    }
  });

  it('lists dead-lettered deliveries and retries one', async () => {
    const outbox = app.app.get(OutboxService);
    const msg = await app.app.get(TenantDb).run(mun, async (em) => {
      const { message } = await outbox.enqueue(em, {
        municipalityId: mun,
        channel: 'email',
        recipient: 'a@example.lv',
        subject: 'Dead letter test',
        body: 'x',
        idempotencyKey: `dead-${randomUUID()}`,
      });
      await em.update(
        OutboxMessage,
        { id: message.id },
        { status: 'dead', deadAt: new Date(), attempts: 5, lastError: 'mailbox unavailable' },
      );
      return message;
    });
    const page = (await admin.agent.get('/admin/deliveries?lang=en').expect(200)).text;
    expect(page).toContain('Dead letter test');
    expect(page).toContain('mailbox unavailable');
    await form(admin, `/admin/deliveries/${msg.id}/retry`, {}).expect(303);
    const after = await app.app
      .get(TenantDb)
      .run(mun, (em) => em.findOneByOrFail(OutboxMessage, { id: msg.id }));
    expect(after.status).not.toBe('dead');
    expect(after.history.map((h) => h.event)).toContain('retried');
    expect(await auditCount('admin.delivery_retried')).toBe(1);
  });
});

describe('manager dashboard', () => {
  it('says in words, in lv, en and el, that a section is empty instead of showing a table of headers only (D20)', async () => {
    const empty = (await createMunicipality(app.app)).id;
    const boss = await signInStaff(app.app, empty, ['manager']);
    const sentences = {
      lv: [
        'Nokavētu lietu nav.',
        'Šonedēļ termiņu nav.',
        'Atvērtu lietu nav.',
        'Atvērtu uzdevumu nav nevienam.',
      ],
      en: [
        'No case is overdue.',
        'No deadline falls this week.',
        'There are no open cases.',
        'Nobody has open tasks.',
      ],
      el: [
        'Καμία υπόθεση δεν είναι εκπρόθεσμη.',
        'Καμία προθεσμία δεν λήγει αυτή την εβδομάδα.',
        'Δεν υπάρχουν ανοιχτές υποθέσεις.',
        'Κανείς δεν έχει ανοιχτές εργασίες.',
      ],
    };
    for (const [lang, expected] of Object.entries(sentences)) {
      const html = (await boss.agent.get(`/workspace/dashboard?lang=${lang}`).expect(200)).text;
      for (const sentence of expected)
        expect({ lang, sentence, shown: html.includes(sentence) }).toEqual({
          lang,
          sentence,
          shown: true,
        });
      expect({
        lang,
        emptyBodies: html.match(/<tbody class="govuk-table__body">\s*<\/tbody>/g) ?? [],
      }).toEqual({ lang, emptyBodies: [] });
    }
  });

  it('shows an overdue case with its owner and days overdue, to managers only', async () => {
    const ruleKey = await defineReferenceRule(app.app);
    const c = await openReferenceCase(app.app, mun, {
      ruleKey,
      title: '=HYPERLINK("x")',
      startedAt: new Date(Date.now() - 45 * 86_400_000),
    });
    await app.app
      .get(TaskService)
      .claim(
        { accountId: caseworker.accountId, municipalityId: mun, roles: ['caseworker'] },
        c.taskId,
      );
    const html = (await manager.agent.get('/workspace/dashboard?lang=en').expect(200)).text;
    const row = new RegExp(`data-case="${c.number}"[\\s\\S]*?</tr>`).exec(html)![0];
    expect(row).toContain(`Staff ${caseworker.username}`);
    expect(row).toMatch(/govuk-tag--red">\d+</);
    expect(html).toContain('data-testid="weekly"');
    await caseworker.agent.get('/workspace/dashboard').expect(403);
  });

  it("opens the inbox of a caseworker's tasks from the workload link, for a manager without the caseworker role", async () => {
    const c = await openReferenceCase(app.app, mun, { title: 'Workload drill-down' });
    await app.app
      .get(TaskService)
      .claim(
        { accountId: caseworker.accountId, municipalityId: mun, roles: ['caseworker'] },
        c.taskId,
      );
    const dashboard = (await manager.agent.get('/workspace/dashboard?lang=en').expect(200)).text;
    const link = `/workspace?assignee=${caseworker.accountId}`;
    expect(dashboard).toContain(`href="${link}"`);
    const inbox = (await manager.agent.get(`${link}&lang=en`).expect(200)).text;
    expect(inbox).toContain(c.number);
    expect(inbox).toContain(`/workspace/tasks/${c.taskId}/release`);
    const overdueLink = (
      await manager.agent.get(`/workspace?due=overdue&assignee=${caseworker.accountId}`).expect(200)
    ).text;
    expect(overdueLink).not.toContain(c.number);

    const otherProcess = await signInStaff(app.app, mun, [
      { role: 'caseworker', process: 'residence-declaration' },
    ]);
    expect((await otherProcess.agent.get(link).expect(200)).text).not.toContain(c.number);
  });

  it('exports the list behind a figure as CSV with formula-looking cells neutralised', async () => {
    const res = await manager.agent.get('/workspace/cases?overdue=1&format=csv').expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.text).toContain(`"'=HYPERLINK(""x"")"`);
    const list = (await manager.agent.get('/workspace/cases?overdue=1').expect(200)).text;
    expect(list).toContain('HYPERLINK(&quot;x&quot;)');
  });

  it('lists cases unfiltered and by process or stage alone (filters that need no time zone)', async () => {
    for (const q of ['', '?process=reference', '?stage=review', '?status=open&format=csv']) {
      const res = await manager.agent.get(`/workspace/cases${q}`);
      expect([q, res.status]).toEqual([q, 200]);
    }
  });
});
