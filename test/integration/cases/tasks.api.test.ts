import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '../../../src/app';
import type { ActingUser } from '../../../src/cases/acting-user';
import { CaseService } from '../../../src/cases/case.service';
import { Task } from '../../../src/cases/task.entity';
import { TimelineEvent } from '../../../src/cases/timeline-event.entity';
import { loadConfig } from '../../../src/config/config';
import { PROCESS_ENGINE, type ProcessEngine } from '../../../src/engine/process-engine';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { DataSource } from 'typeorm';
import { signInStaff } from '../../support/session';
import { type GrantSpec } from '../../factories/accounts';
import { createMunicipality } from '../../factories/municipalities';
import { openReferenceCase } from '../../factories/cases';

jest.setTimeout(30_000);

let app: NestExpressApplication;
let cases: CaseService;
let tenantDb: TenantDb;
let engine: ProcessEngine;
let mun: string;
let otherMun: string;

const user = (roles: string[], municipalityId = mun): ActingUser => ({
  accountId: randomUUID(),
  municipalityId,
  roles,
});
/**
 * Headers of a real signed-in staff account holding `u.roles` (roles the platform does not know,
 * such as 'registrar', become council_secretary: allowed on the task API, but holding no caseworker tasks). The first call signs in and gives `u`
 * the real account id.
 */
const signedIn = new WeakMap<ActingUser, Record<string, string>>();
async function as(u: ActingUser): Promise<Record<string, string>> {
  const known = signedIn.get(u);
  if (known) return known;
  const grants = u.roles.map((r): GrantSpec =>
    ['caseworker', 'manager', 'administrator'].includes(r) ? (r as GrantSpec) : 'council_secretary',
  );
  const s = await signInStaff(app, u.municipalityId, grants);
  u.accountId = s.accountId;
  signedIn.set(u, s.headers);
  return s.headers;
}

const caseWithTask = (m = mun) => openReferenceCase(app, m, { title: 'T', subjectRef: 'person-1' });

const task = (id: string, m = mun) => tenantDb.run(m, (em) => em.findOneByOrFail(Task, { id }));
const completions = (caseId: string) =>
  tenantDb.run(mun, (em) => em.countBy(TimelineEvent, { caseId, kind: 'task.completed' }));
/** The newest audit-log entry of the test municipality, in the shape the case core reported it. */
async function lastAudit(m = mun): Promise<Record<string, unknown>> {
  const [row] = (await tenantDb.run(m, (em) =>
    em.query(`SELECT action, subject_id, details FROM audit_log ORDER BY seq DESC LIMIT 1`),
  )) as { action: string; subject_id: string | null; details: Record<string, unknown> }[];
  return {
    ...row.details,
    action: row.action.replace(/\.refused$/, ''),
    subject: { id: row.subject_id },
  };
}

beforeAll(async () => {
  const config = loadConfig({
    ...process.env,
    ENGINE_EXECUTOR_ID: `it-${randomUUID().slice(0, 8)}`,
    LOG_LEVEL: 'silent',
  });
  app = await createApp(config);
  await app.listen(0);
  cases = app.get(CaseService);
  tenantDb = app.get(TenantDb);
  engine = app.get(PROCESS_ENGINE);
  mun = (await createMunicipality(app)).id;
  otherMun = (await createMunicipality(app)).id;
});
afterAll(() => app.close());

const http = () => request(app.getHttpServer());

describe('task API', () => {
  it('lists open tasks to holders of the role only', async () => {
    const { taskId } = await caseWithTask();
    const mine = await http()
      .get('/api/tasks')
      .set(await as(user(['caseworker'])))
      .expect(200);
    expect(mine.body.map((t: Task) => t.id)).toContain(taskId);
    const other = await http()
      .get('/api/tasks')
      .set(await as(user(['registrar'])))
      .expect(200);
    expect(other.body.map((t: Task) => t.id)).not.toContain(taskId);
    const elsewhere = await http()
      .get('/api/tasks')
      .set(await as(user(['caseworker'], otherMun)))
      .expect(200);
    expect(elsewhere.body.map((t: Task) => t.id)).not.toContain(taskId);
  });

  it('refuses anonymous calls', async () => {
    const res = await http().get('/api/tasks').expect(401);
    expect(res.body.code).toBe('unauthenticated');
  });

  it('lets a caseworker claim and release; a second claimant is refused', async () => {
    const { taskId } = await caseWithTask();
    const a = user(['caseworker']);
    const res = await http()
      .post(`/api/tasks/${taskId}/claim`)
      .set(await as(a))
      .expect(200);
    expect(res.body).toMatchObject({ status: 'claimed', assigneeId: a.accountId });
    await http()
      .post(`/api/tasks/${taskId}/claim`)
      .set(await as(user(['caseworker'])))
      .expect(409);
    expect(await lastAudit()).toMatchObject({
      action: 'task.claim',
      outcome: 'refused',
      reason: 'conflict',
    });
    await http()
      .post(`/api/tasks/${taskId}/release`)
      .set(await as(a))
      .expect(200);
    expect(await task(taskId)).toMatchObject({ status: 'open', assigneeId: null });
  });

  it('refuses completion by someone without the role, and nothing changes', async () => {
    const { caseId, taskId } = await caseWithTask();
    // A council secretary opens no case files (issue 12 H1): the task is not even found.
    const res = await http()
      .post(`/api/tasks/${taskId}/complete`)
      .set(await as(user(['registrar'])))
      .send({ decision: { outcome: 'approve' } })
      .expect(404);
    expect(res.body.code).toBe('not_found');
    expect(await task(taskId)).toMatchObject({ status: 'open', decision: null, completedBy: null });
    expect(await completions(caseId)).toBe(0);
    expect(await lastAudit()).toMatchObject({
      action: 'task.complete',
      outcome: 'refused',
      reason: 'not_found',
      subject: { id: taskId },
    });
    expect((await engine.describe(caseId))?.status).toBe('running');
  });

  it('refuses an invalid decision with field errors, and nothing changes', async () => {
    const { caseId, taskId } = await caseWithTask();
    const cw = user(['caseworker']);
    const bad = await http()
      .post(`/api/tasks/${taskId}/complete`)
      .set(await as(cw))
      .query({ lang: 'en' })
      .send({ decision: { outcome: 'maybe', extra: 1 } })
      .expect(422);
    // Field messages come translated, never as i18n keys.
    expect(bad.body.fields).toEqual(
      expect.arrayContaining([
        { field: 'decision.outcome', message: 'Choose one of the offered options.' },
        { field: 'decision.extra', message: 'This field is not part of the form.' },
      ]),
    );
    const missing = await http()
      .post(`/api/tasks/${taskId}/complete`)
      .set(await as(cw))
      .send({})
      .expect(422);
    expect(missing.body.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'decision' })]),
    );
    expect(await task(taskId)).toMatchObject({ status: 'open', decision: null });
    expect(await completions(caseId)).toBe(0);
    expect(await lastAudit()).toMatchObject({ outcome: 'refused' });
  });

  it('completes once: stores the decision, signals the run; a second completion is refused', async () => {
    const { caseId, taskId } = await caseWithTask();
    const cw = user(['caseworker']);
    const res = await http()
      .post(`/api/tasks/${taskId}/complete`)
      .set(await as(cw))
      .send({ decision: { outcome: 'reject', reason: 'No basis' } })
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'completed',
      completedBy: cw.accountId,
      decision: { outcome: 'reject', reason: 'No basis' },
    });
    expect(await lastAudit()).toMatchObject({ action: 'task.complete', outcome: 'allowed' });

    const again = await http()
      .post(`/api/tasks/${taskId}/complete`)
      .set(await as(cw))
      .send({ decision: { outcome: 'approve' } })
      .expect(409);
    expect(again.body.code).toBe('already_done');
    expect(await lastAudit()).toMatchObject({
      action: 'task.complete',
      outcome: 'refused',
      reason: 'already_done',
    });
    expect((await task(taskId)).decision).toEqual({ outcome: 'reject', reason: 'No basis' });
    expect(await completions(caseId)).toBe(1);

    for (let i = 0; i < 400 && (await engine.describe(caseId))?.status === 'running'; i++)
      await new Promise((r) => setTimeout(r, 25));
    const run = await engine.describe(caseId);
    expect(run).toMatchObject({
      status: 'completed',
      result: { outcome: 'rejected', decidedBy: cw.accountId },
    });
    const c = await cases.get(mun, caseId);
    expect(c).toMatchObject({ status: 'closed', outcome: 'rejected' });
  });

  it('refuses a task claimed by someone else, and a task of another municipality is not found', async () => {
    const { taskId } = await caseWithTask();
    await http()
      .post(`/api/tasks/${taskId}/claim`)
      .set(await as(user(['caseworker'])))
      .expect(200);
    await http()
      .post(`/api/tasks/${taskId}/complete`)
      .set(await as(user(['caseworker'])))
      .send({ decision: { outcome: 'approve' } })
      .expect(403);
    await http()
      .post(`/api/tasks/${taskId}/complete`)
      .set(await as(user(['caseworker'], otherMun)))
      .send({ decision: { outcome: 'approve' } })
      .expect(404);
    expect((await task(taskId)).status).toBe('claimed');
  });

  it('reports unknown or malformed task ids as not found', async () => {
    await http()
      .post(`/api/tasks/${randomUUID()}/complete`)
      .set(await as(user(['caseworker'])))
      .send({ decision: { outcome: 'approve' } })
      .expect(404);
    expect(await lastAudit()).toMatchObject({
      action: 'task.complete',
      outcome: 'refused',
      reason: 'not_found',
    });
    // A malformed id names no task at all: refused at the edge, before the task service.
    await http()
      .post(`/api/tasks/not-a-uuid/claim`)
      .set(await as(user(['caseworker'])))
      .expect(404);
  });

  it('lets only a manager reassign', async () => {
    const { taskId } = await caseWithTask();
    const target = (await signInStaff(app, mun, ['caseworker'])).accountId;
    await http()
      .post(`/api/tasks/${taskId}/reassign`)
      .set(await as(user(['caseworker'])))
      .send({ assigneeId: target })
      .expect(403);
    await http()
      .post(`/api/tasks/${taskId}/reassign`)
      .set(await as(user(['manager'])))
      .send({ assigneeId: 'nobody' })
      .expect(422);
    const res = await http()
      .post(`/api/tasks/${taskId}/reassign`)
      .set(await as(user(['manager'])))
      .send({ assigneeId: target })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'claimed', assigneeId: target });
  });
});

describe('task completion against the run', () => {
  it('refuses a decision when the case or its process is no longer running, and nothing changes', async () => {
    const cw = user(['caseworker']);
    const { caseId, taskId } = await caseWithTask();
    await cases.cancel('system', mun, caseId, 'withdrawn by the applicant');
    const res = await http()
      .post(`/api/tasks/${taskId}/complete`)
      .set(await as(cw))
      .send({ decision: { outcome: 'approve' } })
      .expect(409);
    expect(res.body.code).toBe('conflict');

    // The run is gone while the case file still says open (e.g. cancelled by an operator in DBOS).
    const drift = await caseWithTask();
    await engine.cancel(drift.caseId, 'operator');
    await http()
      .post(`/api/tasks/${drift.taskId}/complete`)
      .set(await as(cw))
      .send({ decision: { outcome: 'approve' } })
      .expect(409);
    expect(await task(drift.taskId)).toMatchObject({ status: 'open', decision: null });
    expect(await completions(drift.caseId)).toBe(0);
    expect(await lastAudit()).toMatchObject({
      action: 'task.complete',
      outcome: 'refused',
      reason: 'conflict',
    });
  });
});

describe('case signals', () => {
  it('refuses signals to unknown or closed cases and task completions that bypass the task service', async () => {
    const expectCode = async (p: Promise<unknown>, code: ErrorCode, m = mun) => {
      const e = await p.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe(code);
      expect(await lastAudit(m)).toMatchObject({
        action: 'case.signal',
        outcome: 'refused',
        reason: code,
      });
    };
    await expectCode(
      cases.signal('system', mun, randomUUID(), 'info.received', {}),
      ErrorCode.NotFound,
    );
    const { caseId, taskId } = await caseWithTask();
    await expectCode(
      cases.signal('system', mun, caseId, `task.completed:${taskId}`, {
        decision: { outcome: 'approve' },
      }),
      ErrorCode.Forbidden,
    );
    expect((await task(taskId)).status).toBe('open');
    await expectCode(
      cases.signal('system', otherMun, caseId, 'info.received', {}),
      ErrorCode.NotFound,
      otherMun,
    );

    await cases.cancel('system', mun, caseId, 'withdrawn');
    expect((await task(taskId)).status).toBe('cancelled');
    expect((await engine.describe(caseId))?.status).toBe('cancelled');
    await expectCode(cases.signal('system', mun, caseId, 'info.received', {}), ErrorCode.Conflict);
  });
});

describe('health', () => {
  it('reports the DBOS engine up', async () => {
    const res = await http().get('/health').expect(200);
    expect(res.body.info.engine).toEqual({ status: 'up', engine: 'dbos' });
  });
});

describe('task API: who may receive a reassigned task (issue 12 L5)', () => {
  const cases: [string, () => Promise<string>][] = [
    ['an unknown account', async () => randomUUID()],
    [
      'a caseworker of another municipality',
      async () => (await signInStaff(app, otherMun, ['caseworker'])).accountId,
    ],
    [
      'a caseworker granted only another process',
      async () =>
        (await signInStaff(app, mun, [{ role: 'caseworker', process: 'residence-declaration' }]))
          .accountId,
    ],
    [
      'a deputy of the municipality',
      async () => (await signInStaff(app, mun, ['deputy'])).accountId,
    ],
    [
      'a disabled caseworker',
      async () => {
        const s = await signInStaff(app, mun, ['caseworker']);
        await app
          .get(DataSource)
          .query(`UPDATE accounts SET disabled = true WHERE id = $1`, [s.accountId]);
        return s.accountId;
      },
    ],
  ];
  it.each(cases)(
    'refuses %s with a translated field error, and nothing changes',
    async (_, target) => {
      const { taskId } = await caseWithTask();
      const to = await target();
      const res = await http()
        .post(`/api/tasks/${taskId}/reassign`)
        .query({ lang: 'en' })
        .set(await as(user(['manager'])))
        .send({ assigneeId: to })
        .expect(422);
      expect(res.body.fields).toEqual([
        { field: 'assigneeId', message: 'Choose a caseworker of this municipality.' },
      ]);
      expect(await task(taskId)).toMatchObject({ status: 'open', assigneeId: null });
    },
  );

  it("gives it to a caseworker granted the task's process", async () => {
    const { taskId } = await caseWithTask();
    const to = (await signInStaff(app, mun, [{ role: 'caseworker', process: 'reference' }]))
      .accountId;
    await http()
      .post(`/api/tasks/${taskId}/reassign`)
      .set(await as(user(['manager'])))
      .send({ assigneeId: to })
      .expect(200);
    expect(await task(taskId)).toMatchObject({ status: 'claimed', assigneeId: to });
  });
});
