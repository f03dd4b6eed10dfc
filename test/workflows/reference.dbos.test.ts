import { SystemClock } from '../../src/platform/clock/clock';
import { randomUUID } from 'node:crypto';
import type { ActingUser } from '../../src/cases/acting-user';
import { Case } from '../../src/cases/case.entity';
import { Task } from '../../src/cases/task.entity';
import { TaskService } from '../../src/cases/task.service';
import { referenceProcess } from '../../src/modules/reference/reference.process';
import { ProcessRegistry } from '../../src/processes/process-registry';
import { TimelineEvent } from '../../src/cases/timeline-event.entity';
import { DomainError, ErrorCode } from '../../src/platform/errors/domain-error';
import type { ReferenceResult } from '../../workflows/reference/v1';
import { eventually, startHarness, type Harness } from '../support/engine-harness';
import { createMunicipality } from '../factories/municipalities';

jest.setTimeout(30_000);

let h: Harness;
let mun: string;
let caseworker: ActingUser;
let manager: ActingUser;

beforeAll(async () => {
  h = await startHarness();
  mun = (await createMunicipality(h.ds)).id;
  caseworker = { accountId: randomUUID(), municipalityId: mun, roles: ['caseworker'] };
  manager = { accountId: randomUUID(), municipalityId: mun, roles: ['manager'] };
});
afterAll(() => h.close());

const open = (input: Record<string, unknown> = {}) =>
  h.cases.open({
    municipalityId: mun,
    processKey: 'reference',
    title: 'Reference',
    // A person the e-address simulator reaches: the outcome is really delivered.
    applicantRef: '010190-12345',
    actor: 'system',
    input: { subjectRef: 'person-1', ...input },
  });

const openTask = (caseId: string) =>
  eventually(
    () => h.tenantDb.run(mun, (em) => em.findOne(Task, { where: { caseId } })),
    10_000,
    'task row',
  );

const finished = (caseId: string) =>
  eventually(
    async () => {
      const d = await h.engine.describe(caseId);
      return d && d.status !== 'running' ? d : null;
    },
    15_000,
    'run to finish',
  );

const timeline = (caseId: string) =>
  h.tenantDb
    .run(mun, (em) => em.find(TimelineEvent, { where: { caseId }, order: { at: 'ASC' } }))
    .then((rows) => rows.map((r) => r.kind));

describe('reference process on DBOS', () => {
  it('approves when the caseworker approves, records the decision, delivers and closes the case', async () => {
    const c = await open();
    expect(c.number).toMatch(/^REF-\d{4}-\d{6}$/);
    const task = await openTask(c.id);
    expect(task).toMatchObject({
      role: 'caseworker',
      formKey: 'reference.review',
      status: 'open',
      processKey: 'reference',
    });

    await h.tasks.claim(caseworker, task.id);
    await h.tasks.complete(caseworker, task.id, { outcome: 'approve' });

    const run = await finished(c.id);
    expect(run).toMatchObject({ status: 'completed', processKey: 'reference', processVersion: 1 });
    expect(run.result).toEqual<ReferenceResult>({
      outcome: 'approved',
      decidedBy: caseworker.accountId,
      escalated: false,
    });
    const saved = await h.cases.get(mun, c.id);
    expect(saved).toMatchObject({
      status: 'closed',
      outcome: 'approved',
      processKey: 'reference',
      processVersion: 1,
    });
    expect(saved.closedAt).toBeInstanceOf(Date);
    // A decision's legal effect (delivery.deemed_notified) is stamped with the send's own time and
    // exists only where the jurisdiction's delivery parameters are seeded (legal-effect.test.ts).
    const kinds = await timeline(c.id);
    expect(kinds.filter((k) => k !== 'delivery.deemed_notified')).toEqual([
      'case.opened',
      'registry.checked',
      'task.opened',
      'task.claimed',
      'task.completed',
      'case.decided',
      'delivery.sent',
      'case.closed',
    ]);
  });

  it('rejects with a reason; a rejection without a reason is refused and changes nothing', async () => {
    const c = await open();
    const task = await openTask(c.id);

    const err = await h.tasks
      .complete(caseworker, task.id, { outcome: 'reject' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.ValidationFailed);
    expect((err as DomainError).fields.map((f) => f.field)).toContain('decision.reason');
    expect(
      await h.tenantDb.run(mun, (em) => em.findOneByOrFail(Task, { id: task.id })),
    ).toMatchObject({ status: 'open', decision: null });
    expect((await h.engine.describe(c.id))?.status).toBe('running');

    await h.tasks.complete(caseworker, task.id, { outcome: 'reject', reason: 'No legal basis' });
    const run = await finished(c.id);
    expect(run.result).toMatchObject({ outcome: 'rejected', decidedBy: caseworker.accountId });
    expect((await h.cases.get(mun, c.id)).outcome).toBe('rejected');
  });

  it('reminds before the due date, escalates when it passes, and still accepts the late decision', async () => {
    const c = await open({ reviewDueInMs: 1500, remindBeforeMs: 1000 });
    const task = await openTask(c.id);
    const reminded = await eventually(
      () =>
        h.tenantDb
          .run(mun, (em) => em.findOneByOrFail(Task, { id: task.id }))
          .then((t) => (t.remindedAt ? t : null)),
      5000,
      'reminder',
    );
    expect(reminded.escalatedAt).toBeNull();
    expect(reminded.remindedAt!.getTime()).toBeGreaterThanOrEqual(task.remindAt!.getTime());

    const escalated = await eventually(
      () =>
        h.tenantDb
          .run(mun, (em) => em.findOneByOrFail(Task, { id: task.id }))
          .then((t) => (t.escalatedAt ? t : null)),
      5000,
      'escalation',
    );
    expect(escalated.escalatedAt!.getTime()).toBeGreaterThanOrEqual(task.dueAt.getTime());
    expect((await h.tenantDb.run(mun, (em) => em.findOneByOrFail(Case, { id: c.id }))).status).toBe(
      'open',
    );
    expect((await h.tasks.list(manager, 'escalated')).map((t) => t.id)).toContain(task.id);

    // The run keeps waiting after escalation; a manager decides.
    await h.tasks.complete(manager, task.id, { outcome: 'approve' });
    const run = await finished(c.id);
    expect(run.result).toEqual({
      outcome: 'approved',
      decidedBy: manager.accountId,
      escalated: true,
    });
    const kinds = await timeline(c.id);
    expect(kinds.filter((k) => k === 'task.reminded')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'task.escalated')).toHaveLength(1);
  });

  it('retries an activity after a transient registry failure and counts the attempts', async () => {
    const before = h.attempts.get('checkRegistry') ?? 0;
    h.registry.failNext(2);
    const c = await open({ fastTrack: true });
    const run = await finished(c.id);
    expect(run.status).toBe('completed');
    expect(run.result).toMatchObject({ outcome: 'approved', decidedBy: 'system' });
    expect((h.attempts.get('checkRegistry') ?? 0) - before).toBe(3);
    expect((await timeline(c.id)).filter((k) => k === 'registry.checked')).toHaveLength(1);
  });

  it('fails the run when the registry stays down past the retry policy', async () => {
    h.registry.failNext(4);
    const c = await open({ fastTrack: true });
    const run = await finished(c.id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/registry unavailable/);
  });

  it('treats a second start of the same case as harmless', async () => {
    const c = await open({ fastTrack: true });
    const again = await h.engine.start('reference', c.id, {
      municipalityId: mun,
      subjectRef: 'person-1',
      fastTrack: true,
    });
    expect(again.started).toBe(false);
    const run = await finished(c.id);
    expect(run.status).toBe('completed');
    const kinds = await timeline(c.id);
    expect(kinds.filter((k) => k === 'delivery.sent')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'case.closed')).toHaveLength(1);
    expect((await h.engine.start('reference', c.id, {})).started).toBe(false);
  });

  it('closes a case as not-found without a human task when the subject is unknown', async () => {
    const c = await open({ subjectRef: 'unknown-7' });
    const run = await finished(c.id);
    expect(run.result).toMatchObject({ outcome: 'not-found' });
    expect(await h.tenantDb.run(mun, (em) => em.countBy(Task, { caseId: c.id }))).toBe(0);
  });

  it('repairs a completion whose signal failed: resending delivers it once', async () => {
    const c = await open();
    const task = await openTask(c.id);
    const down = new TaskService(
      h.tenantDb,
      {
        ...h.engine,
        name: 'dbos',
        start: h.engine.start.bind(h.engine),
        describe: h.engine.describe.bind(h.engine),
        cancel: h.engine.cancel.bind(h.engine),
        signal: () => Promise.reject(new Error('engine unreachable')),
      },
      h.audit,
      ProcessRegistry.of([referenceProcess]),
      new SystemClock(),
    );
    await expect(down.complete(caseworker, task.id, { outcome: 'approve' })).rejects.toThrow(
      'engine unreachable',
    );
    expect(
      (await h.tenantDb.run(mun, (em) => em.findOneByOrFail(Task, { id: task.id }))).status,
    ).toBe('completed');
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.engine.describe(c.id))?.status).toBe('running');

    expect(await h.tasks.resendCompletions(mun)).toBeGreaterThanOrEqual(1);
    await h.tasks.resendCompletions(mun);
    const run = await finished(c.id);
    expect(run.result).toMatchObject({ outcome: 'approved', decidedBy: caseworker.accountId });
    expect(await h.tasks.resendCompletions(mun)).toBe(0);
  });

  it('numbers concurrently opened cases without gaps or duplicates and records their process for life', async () => {
    const mun2 = (await createMunicipality(h.ds)).id;
    const opened = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.cases.open({
          municipalityId: mun2,
          processKey: 'reference',
          title: 'N',
          actor: 'system',
          input: { subjectRef: 'unknown-1' },
        }),
      ),
    );
    const year = new Date().getUTCFullYear();
    const numbers = opened.map((c) => c.number).sort();
    expect(numbers).toEqual(
      Array.from({ length: 20 }, (_, i) => `REF-${year}-${String(i + 1).padStart(6, '0')}`),
    );
    expect(opened[0]).toMatchObject({
      processKey: 'reference',
      processVersion: 1,
      status: 'open',
      municipalityId: mun2,
    });
    const first = await h.tenantDb.run(mun2, (em) =>
      em.findOneByOrFail(TimelineEvent, { caseId: opened[0].id, kind: 'case.opened' }),
    );
    expect(first.data).toEqual({ number: opened[0].number, process: 'reference@v1' });
  });
});
