import { randomUUID } from 'node:crypto';
import { Case } from '../../../src/cases/case.entity';
import { Task } from '../../../src/cases/task.entity';
import { TimelineEvent } from '../../../src/cases/timeline-event.entity';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { Deadline } from '../../../src/deadlines/deadline.entity';
import { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import { startApp, type RunningApp } from '../../support/app';
import { signInStaff, type Session } from '../../support/session';
import { defineReferenceRule, eventually } from '../../support/workspace-fixtures';
import { createMunicipality } from '../../factories/municipalities';
import { openReferenceCase } from '../../factories/cases';
import { createResident } from '../../factories/accounts';

jest.setTimeout(60_000);

let app: RunningApp;
let mun: string;
let ruleKey: string;
let caseworker: Session;
let deputy: Session;
let manager: Session;

const form = (s: Session, path: string, fields: Record<string, string>) =>
  s.agent
    .post(path)
    .type('form')
    .send({ _csrf: s.csrf, ...fields });

beforeAll(async () => {
  app = await startApp({ ENGINE_EXECUTOR_ID: `ws-${randomUUID().slice(0, 8)}` });
  mun = (await createMunicipality(app.app)).id;
  ruleKey = await defineReferenceRule(app.app);
  caseworker = await signInStaff(app.app, mun, ['caseworker']);
  deputy = await signInStaff(app.app, mun, ['deputy']);
  manager = await signInStaff(app.app, mun, ['manager']);
});
afterAll(() => app?.close());

describe('caseworker inbox', () => {
  it('lists a task for my role with working days left, the legal basis and a claim button', async () => {
    const c = await openReferenceCase(app.app, mun, { ruleKey, title: 'Inbox listing' });
    const html = (await caseworker.agent.get('/workspace?lang=en').expect(200)).text;
    expect(html).toContain(c.number);
    expect(html).toMatch(/working days? left/);
    expect(html).toContain('Administratīvā procesa likums 64. pants');
    expect(html).toContain(`/workspace/tasks/${c.taskId}/claim`);
  });

  it('filters by overdue and by assignee and counts them', async () => {
    const c = await openReferenceCase(app.app, mun, { title: 'Overdue one' });
    await app.app
      .get(TenantDb)
      .run(mun, (em) =>
        em.update(Task, { id: c.taskId }, { dueAt: new Date(Date.now() - 20 * 86_400_000) }),
      );
    const overdue = (await caseworker.agent.get('/workspace?due=overdue&lang=en').expect(200)).text;
    expect(overdue).toContain(c.number);
    expect(overdue).toMatch(/working days? overdue/);
    expect(overdue).toContain('govuk-tag--red');
    const mine = (await caseworker.agent.get('/workspace?assignee=me').expect(200)).text;
    expect(mine).not.toContain(c.number);
  });

  it('claims through the form without JavaScript and shows it as mine', async () => {
    const c = await openReferenceCase(app.app, mun);
    const res = await form(caseworker, `/workspace/tasks/${c.taskId}/claim`, {
      returnTo: '/workspace',
    }).expect(303);
    expect(res.headers.location).toBe('/workspace?done=claimed');
    const html = (
      await caseworker.agent.get('/workspace?assignee=me&lang=en&done=claimed').expect(200)
    ).text;
    expect(html).toContain(c.number);
    expect(html).toContain('The task is now yours.');
    expect(html).toContain(`/workspace/tasks/${c.taskId}/release`);
  });

  it('does not show claim to a user without the task role, and the server refuses it anyway', async () => {
    const c = await openReferenceCase(app.app, mun);
    const page = await manager.agent.get(`/workspace/cases/${c.caseId}`).expect(200);
    expect(page.text).toContain(c.number);
    expect(page.text).not.toContain(`/workspace/tasks/${c.taskId}/claim`);
    await form(manager, `/workspace/tasks/${c.taskId}/claim`, {}).expect(403);
    // A deputy opens no case file at all (issue 12 H1): the case and its task are not found.
    await deputy.agent.get(`/workspace/cases/${c.caseId}`).expect(404);
    await form(deputy, `/workspace/tasks/${c.taskId}/claim`, {}).expect(404);
    const t = await app.app
      .get(TenantDb)
      .run(mun, (em) => em.findOneByOrFail(Task, { id: c.taskId }));
    expect(t.status).toBe('open');
  });
});

describe('reassigning from the case page (issue 12 L5)', () => {
  it("offers and accepts only caseworkers holding the task's process grant; anyone else is a field error and nothing changes", async () => {
    const c = await openReferenceCase(app.app, mun);
    const residenceOnly = await signInStaff(app.app, mun, [
      { role: 'caseworker', process: 'residence-declaration' },
    ]);
    const referenceOnly = await signInStaff(app.app, mun, [
      { role: 'caseworker', process: 'reference' },
    ]);
    const page = (await manager.agent.get(`/workspace/cases/${c.caseId}`).expect(200)).text;
    expect(page).toContain(`value="${referenceOnly.accountId}"`);
    expect(page).not.toContain(`value="${residenceOnly.accountId}"`);
    const refused = await form(manager, `/workspace/tasks/${c.taskId}/reassign?lang=en`, {
      assigneeId: residenceOnly.accountId,
    }).expect(422);
    expect(refused.text).toContain('Choose a caseworker of this municipality.');
    const still = await app.app
      .get(TenantDb)
      .run(mun, (em) => em.findOneByOrFail(Task, { id: c.taskId }));
    expect(still).toMatchObject({ status: 'open', assigneeId: null });
    await form(manager, `/workspace/tasks/${c.taskId}/reassign`, {
      assigneeId: referenceOnly.accountId,
    }).expect(303);
    const moved = await app.app
      .get(TenantDb)
      .run(mun, (em) => em.findOneByOrFail(Task, { id: c.taskId }));
    expect(moved).toMatchObject({ status: 'claimed', assigneeId: referenceOnly.accountId });
  });
});

describe('task page and case file', () => {
  it('refuses a rejection without a reason field by field, then records the decision and the timeline moves on', async () => {
    const c = await openReferenceCase(app.app, mun, { ruleKey });
    await form(caseworker, `/workspace/tasks/${c.taskId}/claim`, {}).expect(303);
    const bad = await form(caseworker, `/workspace/tasks/${c.taskId}/complete?lang=en`, {
      outcome: 'reject',
    }).expect(422);
    expect(bad.text).toContain('govuk-error-summary');
    expect(bad.text).toContain('href="#reason"');
    const still = await app.app
      .get(TenantDb)
      .run(mun, (em) => em.findOneByOrFail(Task, { id: c.taskId }));
    expect(still.status).toBe('claimed');

    const ok = await form(caseworker, `/workspace/tasks/${c.taskId}/complete`, {
      outcome: 'reject',
      reason: 'Not eligible',
    }).expect(303);
    expect(ok.headers.location).toBe(`/workspace/cases/${c.caseId}?done=decided`);
    await eventually(() =>
      app.app
        .get(TenantDb)
        .run(mun, (em) => em.findOne(Case, { where: { id: c.caseId, status: 'closed' } })),
    );
    const html = (await caseworker.agent.get(`/workspace/cases/${c.caseId}?lang=en`).expect(200))
      .text;
    expect(html).toContain('Decision recorded');
    expect(html).toContain('Case closed');
    expect(html).toContain('Rejected');
    // The closed stage is the closed status: one tag, not "Closed Closed".
    expect(html).toContain('data-testid="case-status">Closed</strong>');
    expect(html).not.toContain('data-testid="case-stage"');
  });

  it('names the register a check asked and what it found, also for a check recorded without its register', async () => {
    const c = await openReferenceCase(app.app, mun);
    await eventually(() =>
      app.app
        .get(TenantDb)
        .run(mun, (em) =>
          em.findOne(TimelineEvent, { where: { caseId: c.caseId, kind: 'registry.checked' } }),
        ),
    );
    // A check recorded before checks named their register (reference cases of earlier releases).
    await app.app.get(TenantDb).run(mun, (em) =>
      em.insert(TimelineEvent, {
        municipalityId: mun,
        caseId: c.caseId,
        kind: 'registry.checked',
        actor: 'system',
        key: 'registry.checked.old',
        data: { found: true, flags: [] },
      }),
    );
    const html = (await caseworker.agent.get(`/workspace/cases/${c.caseId}?lang=en`).expect(200))
      .text;
    expect(html).toMatch(/data-register="reference"[\s\S]*?Reference registry[\s\S]*?Found/);
    expect(html).toMatch(/data-register="unknown"[\s\S]*?Register/);
    expect(html).not.toContain('registers.name');
  });

  it("shows a decision code no label was written for as readable words, in the reader's language", async () => {
    const c = await openReferenceCase(app.app, mun);
    await app.app.get(TenantDb).run(mun, (em) =>
      em.insert(TimelineEvent, {
        municipalityId: mun,
        caseId: c.caseId,
        kind: 'task.completed',
        actor: 'system',
        key: 'task.completed.unlabelled',
        data: { decision: { outcome: 'refer-to_board', reason: 'Needs the board' } },
      }),
    );
    for (const [lang, shown] of [
      ['en', 'Decision: refer to board: Needs the board'],
      ['lv', 'Lēmums: refer to board: Needs the board'],
      ['el', 'Απόφαση: refer to board: Needs the board'],
    ]) {
      const html = (
        await caseworker.agent.get(`/workspace/cases/${c.caseId}?lang=${lang}`).expect(200)
      ).text;
      expect(html).toContain(`data-testid="decision">${shown}</div>`);
      expect(html).not.toContain('refer-to_board');
    }
  });

  it('shows the audit trail to a manager only, and records each case-file read', async () => {
    const c = await openReferenceCase(app.app, mun);
    const cw = (await caseworker.agent.get(`/workspace/cases/${c.caseId}?lang=en`).expect(200))
      .text;
    expect(cw).not.toContain('data-testid="audit"');
    const mg = (await manager.agent.get(`/workspace/cases/${c.caseId}?lang=en`).expect(200)).text;
    expect(mg).toContain('data-testid="audit"');
    // The caseworker's view and the manager's own, recorded after the page's read transaction.
    expect(mg.match(/Case file viewed/g)).toHaveLength(2);
    expect(mg).not.toMatch(/<td class="govuk-table__cell">case.read</);
    const [{ n }] = (await app.app
      .get(TenantDb)
      .run(mun, (em) =>
        em.query(
          `SELECT count(*)::int AS n FROM audit_log WHERE subject_id = $1 AND action = 'case.read'`,
          [c.caseId],
        ),
      )) as [{ n: number }];
    expect(n).toBe(2);
  });

  it('lists the applicant under parties, with the full personal code for a caseworker and a masked one for a manager, audited', async () => {
    const { personalCode: code, ...citizen } = await createResident(app.app, mun, {
      displayName: 'Party Applicant',
    });
    const c = await openReferenceCase(app.app, mun, { applicantRef: citizen.id });
    const parties = (html: string) => /data-testid="parties"[\s\S]*?<\/dl>/.exec(html)![0];
    const cwPage = (await caseworker.agent.get(`/workspace/cases/${c.caseId}?lang=en`).expect(200))
      .text;
    expect(cwPage.match(/Party Applicant/g)).toHaveLength(1);
    const cw = parties(cwPage);
    expect(cw).toContain('Party Applicant');
    expect(cw).toContain(code);
    const mg = parties(
      (await manager.agent.get(`/workspace/cases/${c.caseId}?lang=en`).expect(200)).text,
    );
    expect(mg).toContain('Party Applicant');
    expect(mg).not.toContain(code);
    expect(mg).toContain(`${code.slice(0, 6)}-*****`);
    const reads = (await app.app
      .get(TenantDb)
      .run(mun, (em) =>
        em.query(
          `SELECT actor_account_id AS actor, details FROM audit_log WHERE subject_id = $1 AND action = 'case.read' ORDER BY seq`,
          [c.caseId],
        ),
      )) as { actor: string; details: { parties: number; personalCodes: string } }[];
    expect(reads).toEqual([
      { actor: caseworker.accountId, details: { parties: 1, personalCodes: 'full' } },
      { actor: manager.accountId, details: { parties: 1, personalCodes: 'masked' } },
    ]);
    const exOfficio = await openReferenceCase(app.app, mun);
    expect(
      (await caseworker.agent.get(`/workspace/cases/${exOfficio.caseId}?lang=en`).expect(200)).text,
    ).toContain('No parties');
  });

  it('lets a manager reassign but not a caseworker', async () => {
    const c = await openReferenceCase(app.app, mun);
    const other = await signInStaff(app.app, mun, ['caseworker']);
    const cwPage = (await caseworker.agent.get(`/workspace/cases/${c.caseId}`).expect(200)).text;
    expect(cwPage).not.toContain(`/workspace/tasks/${c.taskId}/reassign`);
    await form(caseworker, `/workspace/tasks/${c.taskId}/reassign`, {
      assigneeId: other.accountId,
    }).expect(403);
    const mgPage = (await manager.agent.get(`/workspace/cases/${c.caseId}`).expect(200)).text;
    expect(mgPage).toContain(`/workspace/tasks/${c.taskId}/reassign`);
    await form(manager, `/workspace/tasks/${c.taskId}/reassign`, {
      assigneeId: other.accountId,
    }).expect(303);
    const t = await app.app
      .get(TenantDb)
      .run(mun, (em) => em.findOneByOrFail(Task, { id: c.taskId }));
    expect(t.assigneeId).toBe(other.accountId);
  });

  it('requests information: the legal clock pauses and the request is on the timeline', async () => {
    const c = await openReferenceCase(app.app, mun, { ruleKey });
    const bad = await form(caseworker, `/workspace/cases/${c.caseId}/requests?lang=en`, {
      question: 'x',
      workingDays: '0',
    }).expect(422);
    expect(bad.text).toContain('Enter a whole number of working days from 1 to 60.');
    await form(caseworker, `/workspace/cases/${c.caseId}/requests`, {
      question: 'Please send the lease contract.',
      workingDays: '10',
    }).expect(303);
    const html = (await caseworker.agent.get(`/workspace/cases/${c.caseId}?lang=en`).expect(200))
      .text;
    expect(html).toContain('Please send the lease contract.');
    expect(html).toContain('Paused');
    const kinds = await app.app
      .get(TenantDb)
      .run(mun, (em) => em.find(TimelineEvent, { where: { caseId: c.caseId } }));
    expect(kinds.map((k) => k.kind)).toContain('info.requested');
  });

  it('lets a manager extend a legal deadline with a reason, notifying the applicant; bad input changes nothing', async () => {
    const citizen = await createResident(app.app, mun, { displayName: 'Extension Applicant' });
    const c = await openReferenceCase(app.app, mun, { ruleKey, applicantRef: citizen.id });
    const tenant = app.app.get(TenantDb);
    const d = await tenant.run(mun, (em) => em.findOneByOrFail(Deadline, { caseId: c.caseId }));
    const cw = (await caseworker.agent.get(`/workspace/cases/${c.caseId}`).expect(200)).text;
    expect(cw).not.toContain(`/deadlines/${d.id}/extend`);
    await form(caseworker, `/workspace/cases/${c.caseId}/deadlines/${d.id}/extend`, {
      newDueOn: d.maxDueOn!,
      reason: 'x',
    }).expect(403);

    const page = (await manager.agent.get(`/workspace/cases/${c.caseId}`).expect(200)).text;
    expect(page).toContain(`/deadlines/${d.id}/extend`);
    const bad = await form(
      manager,
      `/workspace/cases/${c.caseId}/deadlines/${d.id}/extend?lang=en`,
      { newDueOn: '2001-01-01', reason: '' },
    ).expect(422);
    expect(bad.text).toContain('href="#newDueOn"');
    expect(bad.text).toContain('href="#reason"');
    expect((await tenant.run(mun, (em) => em.findOneByOrFail(Deadline, { id: d.id }))).dueOn).toBe(
      d.dueOn,
    );

    await form(manager, `/workspace/cases/${c.caseId}/deadlines/${d.id}/extend`, {
      newDueOn: d.maxDueOn!,
      reason: 'Expert opinion needed',
    }).expect(303);
    const after = await tenant.run(mun, (em) => em.findOneByOrFail(Deadline, { id: d.id }));
    expect(after.dueOn).toBe(d.maxDueOn);
    const notices = await tenant.run(mun, (em) =>
      em.find(OutboxMessage, { where: { caseId: c.caseId, purpose: 'notice' } }),
    );
    expect(notices.map((n) => [n.channel, n.recipient])).toEqual([
      ['e_address', citizen.personalCode],
    ]);
    expect(
      (await manager.agent.get(`/workspace/cases/${c.caseId}?lang=en`).expect(200)).text,
    ).toContain('Expert opinion needed');
  });
});
