import { randomUUID } from 'node:crypto';
import type { AnyProcess } from '../../workflows';
import {
  defineEvent,
  defineProcess,
  humanTask,
  type HumanTaskActivities,
  type HumanTaskResult,
} from '../../workflows/kit';
import { Case } from '../../src/cases/case.entity';
import { Task } from '../../src/cases/task.entity';
import { eventually, startHarness, type Harness } from '../support/engine-harness';
import { createMunicipality } from '../factories/municipalities';

jest.setTimeout(30_000);

/** Kit primitives on DBOS, through a small process of the test's own. */
const nudge = defineEvent<{ n: number }>('probe.nudge');
type ProbeActs = { note(caseId: string, what: string): Promise<void> };
const notes: string[] = [];

const probe = defineProcess<
  { sleepMs: number; waitMs?: number },
  { slept: number; nudged: number | null; stableNow: boolean },
  ProbeActs
>({ key: 'kit-probe', version: 1 }, async (ctx, input) => {
  const t0 = await ctx.now();
  await ctx.sleepUntil(new Date(t0.getTime() + input.sleepMs));
  const t1 = await ctx.now();
  await ctx.act.note(ctx.caseId, 'slept');
  const msg = await ctx.waitFor(
    nudge.topic,
    input.waitMs === undefined ? undefined : { until: new Date(t1.getTime() + input.waitMs) },
  );
  return { slept: t1.getTime() - t0.getTime(), nudged: msg?.n ?? null, stableNow: t1 >= t0 };
});

/** humanTask without a reminder that hands the escalation back to the process. */
const deemed = defineProcess<
  { municipalityId: string },
  HumanTaskResult<unknown>,
  HumanTaskActivities
>({ key: 'kit-deemed', version: 1 }, (ctx, input) =>
  humanTask(ctx, {
    municipalityId: input.municipalityId,
    step: 'answer',
    role: 'caseworker',
    formKey: 'reference.review',
    title: 'Answer',
    due: { inMs: 600 },
    afterEscalation: 'return',
  }),
);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    extraProcesses: [probe as unknown as AnyProcess, deemed as unknown as AnyProcess],
    extraActivities: {
      note: async (caseId: string, what: string) => void notes.push(`${caseId}:${what}`),
    },
  });
});
afterAll(() => h.close());

const result = async (id: string) =>
  eventually(async () => {
    const d = await h.engine.describe(id);
    return d && d.status !== 'running' ? d : null;
  }, 15_000);

describe('process kit on DBOS', () => {
  it('sleeps until an absolute time and reads a recorded clock', async () => {
    const id = randomUUID();
    await h.engine.start('kit-probe', id, { sleepMs: 400, waitMs: 0 });
    const run = await result(id);
    expect(run.status).toBe('completed');
    const r = run.result as { slept: number; nudged: number | null; stableNow: boolean };
    expect(r.slept).toBeGreaterThanOrEqual(400);
    expect(r.slept).toBeLessThan(2000);
    expect(r.nudged).toBeNull();
  });

  it('delivers a signal sent before the run waits for it, once per idempotency key', async () => {
    const id = randomUUID();
    await h.engine.start('kit-probe', id, { sleepMs: 300 });
    await h.engine.signal(id, nudge.topic.topic, { n: 7 }, { idempotencyKey: 'once' });
    await h.engine.signal(id, nudge.topic.topic, { n: 8 }, { idempotencyKey: 'once' });
    const run = await result(id);
    expect(run.result).toMatchObject({ nudged: 7 });
  });

  it('waits without a deadline until the signal arrives', async () => {
    const id = randomUUID();
    await h.engine.start('kit-probe', id, { sleepMs: 0 });
    await eventually(async () => notes.includes(`${id}:slept`));
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.engine.describe(id))?.status).toBe('running');
    await h.engine.signal(id, nudge.topic.topic, { n: 1 });
    expect((await result(id)).result).toMatchObject({ nudged: 1 });
  });

  it('cancels a waiting run', async () => {
    const id = randomUUID();
    await h.engine.start('kit-probe', id, { sleepMs: 0 });
    await eventually(async () => notes.includes(`${id}:slept`));
    await h.engine.cancel(id, 'withdrawn by the applicant');
    const run = await result(id);
    expect(run.status).toBe('cancelled');
    expect(await h.engine.describe(randomUUID())).toBeNull();
  });

  it('refuses to start an unknown process', async () => {
    await expect(h.engine.start('nope', randomUUID(), {})).rejects.toThrow(/unknown process nope/);
    await expect(h.engine.start('kit-probe', randomUUID(), {}, { version: 3 })).rejects.toThrow(
      /unknown process/,
    );
  });

  it('returns an escalated outcome when the process asks for it, without a reminder', async () => {
    const mun = (await createMunicipality(h.ds)).id;
    const c = await h.tenantDb.run(mun, (em) =>
      em.save(
        em.create(Case, {
          municipalityId: mun,
          number: `K-${randomUUID()}`,
          processKey: 'kit-deemed',
          processVersion: 1,
          title: 'k',
        }),
      ),
    );
    await h.engine.start('kit-deemed', c.id, { municipalityId: mun });
    const run = await result(c.id);
    const task = await h.tenantDb.run(mun, (em) => em.findOneByOrFail(Task, { caseId: c.id }));
    expect(run.result).toEqual({ outcome: 'escalated', taskId: task.id });
    expect(task.remindedAt).toBeNull();
    expect(task.escalatedAt!.getTime()).toBeGreaterThanOrEqual(task.dueAt.getTime());
  });
});
