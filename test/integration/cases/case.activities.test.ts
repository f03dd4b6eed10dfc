import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createCaseActivities } from '../../../activities/case/case.activities';
import { Case } from '../../../src/cases/case.entity';
import { Task } from '../../../src/cases/task.entity';
import { AuditLogSink } from '../../../src/cases/case-file.ports';
import { TimelineEvent } from '../../../src/cases/timeline-event.entity';
import { AuditService } from '../../../src/platform/audit/audit.service';
import { dataSourceOptions } from '../../../src/platform/database/data-source-options';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { auditDetails } from '../../support/audit-trail';
import { createMunicipality } from '../../factories/municipalities';

let ds: DataSource;
let tenantDb: TenantDb;
let mun: string;
let other: string;
let clock = new Date('2026-03-02T08:00:00Z');
let acts: ReturnType<typeof createCaseActivities>;

async function newCase(m = mun): Promise<string> {
  return tenantDb.run(m, async (em) => {
    const c = await em.save(
      em.create(Case, {
        municipalityId: m,
        number: `T-${randomBytes(4).toString('hex')}`,
        processKey: 'reference',
        processVersion: 1,
        title: 't',
      }),
    );
    return c.id;
  });
}

const kinds = (caseId: string) =>
  tenantDb
    .run(mun, (em) => em.find(TimelineEvent, { where: { caseId }, order: { at: 'ASC' } }))
    .then((r) => r.map((e) => e.kind));
const openReq = (caseId: string, m = mun) => ({
  caseId,
  municipalityId: m,
  step: 'review',
  processKey: 'reference',
  role: 'caseworker',
  formKey: 'reference.review',
  title: 'Review',
  due: { inMs: 86_400_000 },
  remindBeforeMs: 3_600_000,
});

beforeAll(async () => {
  ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 4 } }));
  await ds.initialize();
  tenantDb = new TenantDb(ds);
  mun = (await createMunicipality(ds)).id;
  other = (await createMunicipality(ds)).id;
  acts = createCaseActivities({
    tenantDb,
    clock: () => clock,
    dueDates: {
      addWorkingDays: async (_m, from, days) => new Date(from.getTime() + days * 2 * 86_400_000),
    },
  });
});
afterAll(() => ds.destroy());

describe('case activities are idempotent per case and step', () => {
  it('opens a task once; a repeat returns the same task and keeps the first due date', async () => {
    const caseId = await newCase();
    const first = await acts.openTask(openReq(caseId));
    expect(first.dueAt).toBe('2026-03-03T08:00:00.000Z');
    expect(first.remindAt).toBe('2026-03-03T07:00:00.000Z');
    clock = new Date('2026-03-02T12:00:00Z'); // a retry hours later must not move the deadline
    const again = await acts.openTask(openReq(caseId));
    clock = new Date('2026-03-02T08:00:00Z');
    expect(again).toEqual(first);
    expect(await tenantDb.run(mun, (em) => em.countBy(Task, { caseId }))).toBe(1);
    expect(await kinds(caseId)).toEqual(['task.opened']);
  });

  it('computes working-day due dates through the deadlines port', async () => {
    const caseId = await newCase();
    const t = await acts.openTask({
      ...openReq(caseId),
      due: { workingDays: 3 },
      remindBeforeMs: undefined,
    });
    expect(t.dueAt).toBe('2026-03-08T08:00:00.000Z');
    expect(t.remindAt).toBeNull();
    const noCalendar = createCaseActivities({ tenantDb });
    const e = await noCalendar
      .openTask({ ...openReq(await newCase()), due: { workingDays: 3 } })
      .catch((x: unknown) => x);
    expect((e as DomainError).code).toBe(ErrorCode.Misconfigured);
  });

  it('reminds and escalates once, and not after completion', async () => {
    const caseId = await newCase();
    const { taskId } = await acts.openTask(openReq(caseId));
    const ref = { caseId, municipalityId: mun, taskId };
    await acts.remindTask(ref);
    await acts.remindTask(ref);
    await acts.escalateTask(ref);
    await acts.escalateTask(ref);
    expect(await kinds(caseId)).toEqual(['task.opened', 'task.reminded', 'task.escalated']);

    const caseId2 = await newCase();
    const t2 = await acts.openTask(openReq(caseId2));
    await tenantDb.run(mun, (em) => em.update(Task, { id: t2.taskId }, { status: 'completed' }));
    await acts.escalateTask({ caseId: caseId2, municipalityId: mun, taskId: t2.taskId });
    expect(
      (await tenantDb.run(mun, (em) => em.findOneByOrFail(Task, { id: t2.taskId }))).escalatedAt,
    ).toBeNull();
  });

  it('records the decision and the closing once each', async () => {
    const caseId = await newCase();
    await acts.openTask(openReq(caseId));
    for (let i = 0; i < 2; i++) {
      await acts.recordDecision({
        caseId,
        municipalityId: mun,
        outcome: 'approved',
        decidedBy: 'system',
      });
      await acts.closeCase({ caseId, municipalityId: mun });
      await acts.recordTimeline({ caseId, municipalityId: mun, key: 'note', kind: 'note.added' });
    }
    expect(await kinds(caseId)).toEqual([
      'task.opened',
      'case.decided',
      'case.closed',
      'note.added',
    ]);
    const c = await tenantDb.run(mun, (em) => em.findOneByOrFail(Case, { id: caseId }));
    expect(c).toMatchObject({ status: 'closed', outcome: 'approved', stage: 'closed' });
    expect((await tenantDb.run(mun, (em) => em.findOneByOrFail(Task, { caseId }))).status).toBe(
      'cancelled',
    );
  });

  it('cannot reach a case of another municipality (RLS): not found, nothing written', async () => {
    const caseId = await newCase();
    const err = await acts.openTask(openReq(caseId, other)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.NotFound);
    expect((err as DomainError).retryable).toBe(false);
    await expect(
      acts.recordDecision({ caseId, municipalityId: other, outcome: 'x', decidedBy: 'system' }),
    ).rejects.toThrow(/not found/);
    await expect(acts.closeCase({ caseId: randomUUID(), municipalityId: mun })).rejects.toThrow(
      /not found/,
    );
    expect(await kinds(caseId)).toEqual([]);
    expect(await tenantDb.run(other, (em) => em.countBy(TimelineEvent, {}))).toBe(0);
  });
});

describe('readTaskDecision: the run acts on the stored decision only (issue 12 H4)', () => {
  // What the shipped app binds: refusals go to the hash-chained audit log.
  const reader = () =>
    createCaseActivities({ tenantDb, audit: new AuditLogSink(new AuditService(ds, tenantDb)) });
  const complete = (taskId: string, m = mun) =>
    tenantDb.run(m, (em) =>
      em.update(
        Task,
        { id: taskId },
        {
          status: 'completed',
          decision: { outcome: 'reject', reason: 'stored' },
          completedBy: '00000000-0000-4000-8000-0000000000c1',
          completedAt: new Date('2026-03-02T09:00:00Z'),
        },
      ),
    );
  /** The refusal reasons audited about a task: this municipality's first, then the other's. */
  const refusals = async (taskId: string) =>
    [
      ...(await auditDetails(tenantDb, mun, 'task.signal.refused', taskId)),
      ...(await auditDetails(tenantDb, other, 'task.signal.refused', taskId)),
    ].map((d) => d.reason);

  it('returns the decision the task service stored on the completed task of this case', async () => {
    const caseId = await newCase();
    const { taskId } = await acts.openTask(openReq(caseId));
    await complete(taskId);
    expect(
      await reader().readTaskDecision({
        caseId,
        municipalityId: mun,
        taskId,
        signalledTaskId: taskId,
      }),
    ).toEqual({
      decision: { outcome: 'reject', reason: 'stored' },
      completedBy: '00000000-0000-4000-8000-0000000000c1',
      completedAt: '2026-03-02T09:00:00.000Z',
    });
    expect(await refusals(taskId)).toEqual([]);
  });

  it('returns a withdrawal the system stored on a cancelled task', async () => {
    const caseId = await newCase();
    const { taskId } = await acts.openTask(openReq(caseId));
    await tenantDb.run(mun, (em) =>
      em.update(
        Task,
        { id: taskId },
        {
          status: 'cancelled',
          decision: { outcome: 'withdrawn' },
          completedAt: new Date('2026-03-02T10:00:00Z'),
        },
      ),
    );
    expect(
      await reader().readTaskDecision({
        caseId,
        municipalityId: mun,
        taskId,
        signalledTaskId: taskId,
      }),
    ).toEqual({
      decision: { outcome: 'withdrawn' },
      completedBy: 'system',
      completedAt: '2026-03-02T10:00:00.000Z',
    });
  });

  it('refuses and audits a signal for an open task, a task closed without a decision, another task, another case or an unknown task', async () => {
    const caseId = await newCase();
    const { taskId } = await acts.openTask(openReq(caseId));
    const read = (
      over: Partial<{
        caseId: string;
        municipalityId: string;
        taskId: string;
        signalledTaskId: string;
      }>,
    ) =>
      reader().readTaskDecision({
        caseId,
        municipalityId: mun,
        taskId,
        signalledTaskId: taskId,
        ...over,
      });

    expect(await read({})).toBeNull();
    expect(await refusals(taskId)).toEqual(['task-not-completed']);

    const otherCase = await newCase();
    const otherTask = (await acts.openTask(openReq(otherCase))).taskId;
    await complete(otherTask);
    // The signal names a completed task of another case: this case's task stays undecided.
    expect(await read({ signalledTaskId: otherTask })).toBeNull();
    // A run whose own task id is another case's task gets nothing either.
    expect(await read({ taskId: otherTask, signalledTaskId: otherTask })).toBeNull();
    expect(await read({ taskId: randomUUID(), signalledTaskId: '' })).toBeNull();
    // Another municipality's task is not visible at all (RLS).
    expect(
      await read({
        municipalityId: other,
        caseId: otherCase,
        taskId: otherTask,
        signalledTaskId: otherTask,
      }),
    ).toBeNull();
    expect(await refusals(taskId)).toEqual(['task-not-completed', 'names-another-task']);
    expect(await refusals(otherTask)).toEqual(['task-of-another-case', 'unknown-task']);

    await tenantDb.run(mun, (em) => em.update(Task, { id: taskId }, { status: 'cancelled' }));
    expect(await read({})).toBeNull();
    expect(await refusals(taskId)).toEqual([
      'task-not-completed',
      'names-another-task',
      'task-not-completed',
    ]);
  });
});
