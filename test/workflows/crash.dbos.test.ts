import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Task } from '../../src/cases/task.entity';
import { TimelineEvent } from '../../src/cases/timeline-event.entity';
import { loadConfig } from '../../src/config/config';
import type { RunDescription } from '../../src/engine/process-engine';
import { dataSourceOptions } from '../../src/platform/database/data-source-options';
import { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { eventually } from '../support/engine-harness';
import { EngineProcess } from '../support/engine-process';
import { createMunicipality } from '../factories/municipalities';

/**
 * Kill -9 of the process running the engine, at the worst moments; a relaunch (same executor id)
 * must finish every run, never repeat a checkpointed activity, and keep deadlines where they were.
 */
jest.setTimeout(60_000);

let owner: Pool;
let ds: DataSource;
let tenantDb: TenantDb;
let mun: string;
const children: EngineProcess[] = [];

beforeAll(async () => {
  const config = loadConfig();
  owner = new Pool({ connectionString: config.DATABASE_OWNER_URL, max: 2 });
  // A schema of its own: the migrations test expects `public` to hold only migrated tables.
  await owner.query(`CREATE SCHEMA IF NOT EXISTS crash_test`);
  await owner.query(
    `CREATE TABLE IF NOT EXISTS crash_test.activity_runs (executor text NOT NULL, case_id text NOT NULL, name text NOT NULL, phase text NOT NULL, pid int NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
  );
  ds = new DataSource(dataSourceOptions(config.DATABASE_URL, { extra: { max: 4 } }));
  await ds.initialize();
  tenantDb = new TenantDb(ds);
  mun = (await createMunicipality(ds)).id;
});
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await ds.destroy();
  await owner.end();
});

async function spawn(executor: string, crashAt?: string): Promise<EngineProcess> {
  const c = await EngineProcess.spawn({
    CHILD_EXECUTOR_ID: executor,
    ...(crashAt ? { CRASH_AT: crashAt } : {}),
  });
  children.push(c);
  return c;
}

/** Completed executions ('done') and attempts ('start') per activity for one case. */
async function runs(
  caseId: string,
): Promise<Record<string, { start: number; done: number; pids: number }>> {
  const { rows } = await owner.query<{ name: string; phase: string; n: number; pids: number }>(
    `SELECT name, phase, count(*)::int AS n, count(DISTINCT pid)::int AS pids FROM crash_test.activity_runs WHERE case_id = $1 GROUP BY name, phase`,
    [caseId],
  );
  const out: Record<string, { start: number; done: number; pids: number }> = {};
  for (const r of rows) {
    out[r.name] ??= { start: 0, done: 0, pids: 0 };
    out[r.name][r.phase as 'start' | 'done'] = r.n;
    out[r.name].pids = Math.max(out[r.name].pids, r.pids);
  }
  return out;
}

const finished = (engine: EngineProcess, caseId: string) =>
  eventually(
    async () => {
      const d = await engine.request<RunDescription | null>({ cmd: 'describe', caseId });
      return d && d.status !== 'running' ? d : null;
    },
    20_000,
    `run ${caseId} to finish`,
  );

/** Waits until DBOS has recorded the activity's result (its checkpoint) for the run. */
const checkpointed = (caseId: string, activity: string) =>
  eventually(
    async () => {
      const { rowCount } = await owner.query(
        `SELECT 1 FROM dbos.operation_outputs WHERE workflow_uuid = $1 AND function_name = $2`,
        [caseId, activity],
      );
      return (rowCount ?? 0) > 0;
    },
    10_000,
    `checkpoint of ${activity}`,
  );

const taskOf = (caseId: string) =>
  eventually(
    () => tenantDb.run(mun, (em) => em.findOne(Task, { where: { caseId } })),
    10_000,
    'task row',
  );
const timelineCount = (caseId: string, kind: string) =>
  tenantDb.run(mun, (em) => em.countBy(TimelineEvent, { caseId, kind }));

/** Starts a case on a child that kills itself at `crashAt`; returns the case id once the child died. */
async function openAndCrash(
  executor: string,
  crashAt: string,
  input: Record<string, unknown>,
): Promise<string> {
  const first = await spawn(executor, crashAt);
  const opened = first.request<string>({ cmd: 'open', municipalityId: mun, input });
  const caseId = await Promise.race([opened, first.exited.then(() => null)]);
  const exit = await first.exited;
  expect(exit.signal).toBe('SIGKILL');
  if (caseId) return caseId;
  // The child died before answering: find the case by its first activity record.
  const { rows } = await owner.query<{ case_id: string }>(
    `SELECT case_id FROM crash_test.activity_runs WHERE executor = $1 ORDER BY at LIMIT 1`,
    [executor],
  );
  return rows[0].case_id;
}

describe('crash recovery on DBOS', () => {
  it('after a checkpointed activity: the relaunch continues without repeating it', async () => {
    const executor = `crash-${randomBytes(4).toString('hex')}`;
    const caseId = await openAndCrash(executor, 'before:recordDecision', {
      subjectRef: 'person-1',
      fastTrack: true,
    });
    expect((await runs(caseId)).recordDecision).toEqual({ start: 1, done: 0, pids: 1 });

    const second = await spawn(executor);
    const run = await finished(second, caseId);
    expect(run).toMatchObject({ status: 'completed', result: { outcome: 'approved' } });
    const r = await runs(caseId);
    expect(r.checkRegistry).toEqual({ start: 1, done: 1, pids: 1 });
    expect(r.recordDecision).toMatchObject({ start: 2, done: 1, pids: 2 });
    expect(r.sendDelivery).toEqual({ start: 1, done: 1, pids: 1 });
    expect(await timelineCount(caseId, 'case.decided')).toBe(1);
    expect(await timelineCount(caseId, 'case.closed')).toBe(1);
  });

  it('after an effect but before its checkpoint: the activity runs again, its effect happens once', async () => {
    const executor = `crash-${randomBytes(4).toString('hex')}`;
    // A personal code: the outcome really goes out, to the e-address (the simulator in the child).
    const caseId = await openAndCrash(executor, 'after:sendDelivery', {
      subjectRef: '020202-22222',
      fastTrack: true,
    });
    const second = await spawn(executor);
    const run = await finished(second, caseId);
    expect(run.status).toBe('completed');
    const r = await runs(caseId);
    expect(r.sendDelivery).toMatchObject({ start: 2, done: 2, pids: 2 }); // at least once...
    expect(await timelineCount(caseId, 'delivery.sent')).toBe(1); // ...but delivered once
    const sent = await tenantDb.run(mun, (em) =>
      em.query(`SELECT channel, status, attempts FROM outbox_messages WHERE case_id = $1`, [
        caseId,
      ]),
    );
    expect(sent).toEqual([{ channel: 'e_address', status: 'sent', attempts: 1 }]);
    expect(r.checkRegistry.done).toBe(1);
    expect(r.recordDecision.done).toBe(1);
    expect(r.closeCase.done).toBe(1);
  });

  it('while a task is open: the relaunched run takes the decision; the task is not opened again', async () => {
    const executor = `crash-${randomBytes(4).toString('hex')}`;
    const first = await spawn(executor);
    const caseId = await first.request<string>({
      cmd: 'open',
      municipalityId: mun,
      input: { subjectRef: 'person-3' },
    });
    const task = await taskOf(caseId);
    await checkpointed(caseId, 'openTask'); // the run is now waiting for the decision
    await first.kill();

    const second = await spawn(executor);
    const user = { accountId: randomUUID(), municipalityId: mun, roles: ['caseworker'] };
    await second.request({
      cmd: 'complete',
      user,
      taskId: task.id,
      decision: { outcome: 'approve' },
    });
    const run = await finished(second, caseId);
    expect(run).toMatchObject({
      status: 'completed',
      result: { outcome: 'approved', decidedBy: user.accountId },
    });
    const r = await runs(caseId);
    expect(r.openTask.done).toBe(1);
    expect(r.checkRegistry.done).toBe(1);
    expect(await tenantDb.run(mun, (em) => em.countBy(Task, { caseId }))).toBe(1);
  });

  it('during a timer: deadlines keep their original times across the restart', async () => {
    const executor = `crash-${randomBytes(4).toString('hex')}`;
    const first = await spawn(executor);
    const caseId = await first.request<string>({
      cmd: 'open',
      municipalityId: mun,
      input: { subjectRef: 'person-4', reviewDueInMs: 20_000, remindBeforeMs: 8000 },
    });
    const task = await taskOf(caseId);
    await first.kill();

    // Down past the reminder time; back before the due date.
    await new Promise((r) => setTimeout(r, task.remindAt!.getTime() + 500 - Date.now()));
    const relaunchedAt = Date.now();
    const second = await spawn(executor);
    // Recovery runs once the process is up: on a loaded machine that can be after the due date.
    const upAt = Date.now();
    const escalated = await eventually(
      () =>
        tenantDb
          .run(mun, (em) => em.findOneByOrFail(Task, { id: task.id }))
          .then((t) => (t.escalatedAt ? t : null)),
      30_000,
      'escalation',
    );
    expect(escalated.dueAt.getTime()).toBe(task.dueAt.getTime());
    expect(escalated.remindedAt!.getTime()).toBeGreaterThanOrEqual(relaunchedAt - 50);
    expect(escalated.escalatedAt!.getTime()).toBeGreaterThanOrEqual(task.dueAt.getTime());
    // Restarted from zero the timer would fire 20 s after the recovery, 12.5 s or more after the
    // due date; it fires at the original due date, or at once if the process came up after it.
    // The cut leaves a loaded machine 6 s of delay.
    expect(escalated.escalatedAt!.getTime()).toBeLessThan(
      Math.max(task.dueAt.getTime(), upAt) + 6000,
    );

    await second.request({
      cmd: 'complete',
      user: { accountId: randomUUID(), municipalityId: mun, roles: ['manager'] },
      taskId: task.id,
      decision: { outcome: 'reject', reason: 'Too late' },
    });
    const run = await finished(second, caseId);
    expect(run).toMatchObject({
      status: 'completed',
      result: { outcome: 'rejected', escalated: true },
    });
    expect(await timelineCount(caseId, 'task.reminded')).toBe(1);
    expect(await timelineCount(caseId, 'task.escalated')).toBe(1);
  }, 120_000);
});
