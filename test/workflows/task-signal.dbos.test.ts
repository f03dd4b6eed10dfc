import { randomUUID } from 'node:crypto';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { Pool } from 'pg';
import type { ActingUser } from '../../src/cases/acting-user';
import { Task } from '../../src/cases/task.entity';
import { loadConfig } from '../../src/config/config';
import { taskCompleted } from '../../workflows/kit';
import type { ReferenceResult } from '../../workflows/reference/v1';
import { auditDetails } from '../support/audit-trail';
import { eventually, startHarness, type Harness } from '../support/engine-harness';
import { createMunicipality } from '../factories/municipalities';

/**
 * Issue 12 H4 on DBOS, end to end through the real task service: a completion signal only says
 * which task; the run acts on the decision the task service authorised and stored. Anyone who can
 * signal a run (the engine's UI or CLI, a bug elsewhere) cannot choose or fake the outcome.
 */
jest.setTimeout(30_000);

let h: Harness;
let mun: string;
let caseworker: ActingUser;
/** DBOS's system tables belong to the owner role. */
let owner: Pool;

beforeAll(async () => {
  h = await startHarness();
  mun = (await createMunicipality(h.ds)).id;
  caseworker = { accountId: randomUUID(), municipalityId: mun, roles: ['caseworker'] };
  owner = new Pool({ connectionString: loadConfig().DATABASE_OWNER_URL, max: 2 });
});
afterAll(async () => {
  await h.close();
  await owner.end();
});

const open = () =>
  h.cases.open({
    municipalityId: mun,
    processKey: 'reference',
    title: 'Reference',
    applicantRef: 'p-1',
    actor: 'system',
    input: { subjectRef: 'person-1' },
  });

const reviewTask = (caseId: string) =>
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

/** The refusal the run's activity audits once it has read (and refused) a signal for this task. */
const refused = (taskId: string, n = 1) =>
  eventually(
    async () => {
      const found = await auditDetails(h.tenantDb, mun, 'task.signal.refused', taskId);
      return found.length >= n ? found : null;
    },
    10_000,
    'refused signal',
  );

const forged = (taskId: string, outcome: string, extra: Record<string, unknown> = {}) => ({
  taskId,
  decision: { outcome },
  completedBy: 'attacker',
  completedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

describe('completion signals on DBOS (issue 12 H4)', () => {
  it('sends the run the task id only', async () => {
    const c = await open();
    const task = await reviewTask(c.id);
    const sent: unknown[] = [];
    const signal = h.engine.signal.bind(h.engine);
    h.engine.signal = async (caseId, topic, payload, opts) => {
      sent.push({ topic, payload });
      return signal(caseId, topic, payload, opts);
    };
    try {
      await h.tasks.complete(caseworker, task.id, { outcome: 'approve' });
    } finally {
      h.engine.signal = signal;
    }
    expect(sent).toEqual([
      { topic: taskCompleted.for(task.id).topic, payload: { taskId: task.id } },
    ]);
    expect((await finished(c.id)).result).toMatchObject({ outcome: 'approved' });
  });

  it('ignores a forged completion carrying a decision: the run waits, then acts on the stored one', async () => {
    const c = await open();
    const task = await reviewTask(c.id);
    const topic = taskCompleted.for(task.id).topic;

    // Sent straight to the engine, under the topic's own key, before anyone decided.
    await h.engine.signal(c.id, topic, forged(task.id, 'approve'), { idempotencyKey: topic });
    const [entry] = await refused(task.id);
    expect(entry).toMatchObject({
      outcome: 'refused',
      reason: 'task-not-completed',
      caseId: c.id,
      signalledTaskId: task.id,
    });
    expect((await h.engine.describe(c.id))?.status).toBe('running');
    expect(
      (await h.tenantDb.run(mun, (em) => em.findOneByOrFail(Task, { id: task.id }))).status,
    ).toBe('open');

    await h.tasks.complete(caseworker, task.id, { outcome: 'reject', reason: 'No legal basis' });
    const run = await finished(c.id);
    expect(run.result).toEqual<ReferenceResult>({
      outcome: 'rejected',
      decidedBy: caseworker.accountId,
      escalated: false,
    });
    expect((await h.cases.get(mun, c.id)).outcome).toBe('rejected');
  });

  it('does not complete a task with a signal naming a completed task of another case', async () => {
    const a = await open();
    const b = await open();
    const taskA = await reviewTask(a.id);
    const taskB = await reviewTask(b.id);
    await h.tasks.complete(caseworker, taskB.id, { outcome: 'approve' });
    expect((await finished(b.id)).result).toMatchObject({ outcome: 'approved' });

    // B's completion replayed into A's run, under A's topic and under B's.
    await h.engine.signal(a.id, taskCompleted.for(taskA.id).topic, forged(taskB.id, 'approve'));
    await h.engine.signal(a.id, taskCompleted.for(taskB.id).topic, { taskId: taskB.id });
    const [entry] = await refused(taskA.id);
    expect(entry).toMatchObject({
      outcome: 'refused',
      reason: 'names-another-task',
      signalledTaskId: taskB.id,
    });
    expect((await h.engine.describe(a.id))?.status).toBe('running');

    await h.tasks.complete(caseworker, taskA.id, { outcome: 'reject', reason: 'Not eligible' });
    expect((await finished(a.id)).result).toMatchObject({
      outcome: 'rejected',
      decidedBy: caseworker.accountId,
    });
  });

  it('acts on the stored decision when a forged payload follows the real completion', async () => {
    const c = await open();
    const task = await reviewTask(c.id);
    const topic = taskCompleted.for(task.id).topic;
    // Stored and signalled while a forged completion with the opposite decision is already queued.
    await h.engine.signal(c.id, topic, forged(task.id, 'approve'));
    await h.tasks.complete(caseworker, task.id, { outcome: 'reject', reason: 'Debts' });
    const run = await finished(c.id);
    expect(run.result).toMatchObject({ outcome: 'rejected', decidedBy: caseworker.accountId });
  });

  /**
   * A run recorded before the change: DBOS.recv returned the decision in the signal and the next
   * recorded step is recordDecision. Re-executing it (a fork replays the recorded steps) must
   * take the old path and reproduce the old outcome, or DBOS would find another step where it
   * expects readTaskDecision.
   */
  it('re-executes a completion recorded before the change from its signal, and one recorded after it from the case file', async () => {
    const recorded = async () => {
      const c = await open();
      const task = await reviewTask(c.id);
      await h.tasks.complete(caseworker, task.id, { outcome: 'approve' });
      expect((await finished(c.id)).result).toMatchObject({ outcome: 'approved' });
      return { c, task };
    };
    const steps = async (id: string) =>
      (
        await owner.query<{ function_id: number; function_name: string }>(
          `SELECT function_id, function_name FROM dbos.operation_outputs WHERE workflow_uuid = $1 ORDER BY function_id`,
          [id],
        )
      ).rows.map((r) => r.function_name);
    const replayed = async (id: string) => {
      const n = (await steps(id)).length;
      const handle = await DBOS.forkWorkflow<ReferenceResult>(id, n);
      return handle.getResult();
    };
    const reads = () => h.attempts.get('readTaskDecision') ?? 0;

    // After the change: the patch marker and the read are recorded, and replayed as such.
    const now = await recorded();
    expect(await steps(now.c.id)).toEqual([
      'checkRegistry',
      'setStage',
      'openTask',
      'DBOS.recv',
      'DBOS.sleep',
      'DBOS.patch-task-decision-from-case-file',
      'readTaskDecision',
      'recordDecision',
      'sendDelivery',
      'closeCase',
    ]);
    const before = reads();
    expect(await replayed(now.c.id)).toEqual({
      outcome: 'approved',
      decidedBy: caseworker.accountId,
      escalated: false,
    });
    expect(reads()).toBe(before);

    // Before the change: rewrite a run into what the old humanTask recorded.
    const old = await recorded();
    const beforeOld = reads();
    const legacy = {
      taskId: old.task.id,
      decision: { outcome: 'reject', reason: 'old' },
      completedBy: 'old-worker',
      completedAt: '2026-01-05T10:00:00.000Z',
    };
    const client = await owner.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `DELETE FROM dbos.operation_outputs WHERE workflow_uuid = $1 AND function_id IN (5, 6)`,
        [old.c.id],
      );
      await client.query(
        `UPDATE dbos.operation_outputs SET function_id = function_id - 2 WHERE workflow_uuid = $1 AND function_id > 6`,
        [old.c.id],
      );
      await client.query(
        `UPDATE dbos.operation_outputs SET output = $2 WHERE workflow_uuid = $1 AND function_id = 3`,
        [old.c.id, JSON.stringify({ json: legacy, __dbos_serializer: 'superjson' })],
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await steps(old.c.id)).toEqual([
      'checkRegistry',
      'setStage',
      'openTask',
      'DBOS.recv',
      'DBOS.sleep',
      'recordDecision',
      'sendDelivery',
      'closeCase',
    ]);
    expect(await replayed(old.c.id)).toEqual({
      outcome: 'rejected',
      decidedBy: 'old-worker',
      escalated: false,
    });
    expect(reads()).toBe(beforeOld);
  });
});
