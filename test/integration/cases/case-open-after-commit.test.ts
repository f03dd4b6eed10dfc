import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../../src/config/config';
import { CaseRunRecovery } from '../../../src/cases/case-run-recovery';
import { CaseService, type OpenCaseRequest } from '../../../src/cases/case.service';
import type { ProcessEngine } from '../../../src/engine/process-engine';
import { eventually, startHarness, type Harness } from '../../support/engine-harness';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(30_000);

let h: Harness;
let mun: string;

beforeAll(async () => {
  h = await startHarness();
  mun = (await createMunicipality(h.ds)).id;
});
afterAll(() => h.close());

const req = (): OpenCaseRequest => ({
  municipalityId: mun,
  processKey: 'reference',
  title: 'Reference',
  applicantRef: 'p-1',
  actor: 'system',
  input: { subjectRef: `person-${randomUUID()}` },
});

/** The case row as another connection sees it (committed data only). */
const row = (caseId: string) =>
  h.tenantDb.run(mun, async (em) => {
    const [r] = (await em.query(`SELECT id, run_started_at, run_input FROM cases WHERE id = $1`, [
      caseId,
    ])) as {
      id: string;
      run_started_at: Date | null;
      run_input: unknown;
    }[];
    return r ?? null;
  });

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('CaseService.open in the caller’s transaction', () => {
  it('a transaction that rolls back leaves no case and no run', async () => {
    let caseId = '';
    await expect(
      h.tenantDb.run(mun, async (em) => {
        caseId = (await h.cases.open(req(), em)).id;
        throw new Error('the caller failed after opening the case');
      }),
    ).rejects.toThrow('the caller failed');
    expect(caseId).not.toBe('');
    await new Promise((r) => setImmediate(r));
    expect(await row(caseId)).toBeNull();
    expect(await h.engine.describe(caseId)).toBeNull();
  });

  it('does not start the run before the transaction commits, and starts it once it has', async () => {
    const opened = deferred<string>();
    const commit = deferred();
    const tx = h.tenantDb.run(mun, async (em) => {
      const c = await h.cases.open(req(), em);
      opened.resolve(c.id);
      await commit.promise;
      return c.id;
    });
    const caseId = await opened.promise;
    try {
      // The transaction is still open: no committed case, no run.
      expect(await row(caseId)).toBeNull();
      expect(await h.engine.describe(caseId)).toBeNull();
    } finally {
      commit.resolve();
    }
    expect(await tx).toBe(caseId);
    // TenantDb.run returns once the after-commit start is done.
    expect((await h.engine.describe(caseId))?.status).toBe('running');
    const r = await row(caseId);
    expect(r?.run_started_at).toBeInstanceOf(Date);
    expect(r?.run_input).toBeNull();
    await h.cases.cancel('system', mun, caseId, 'test over');
  });
});

describe('CaseRunRecovery', () => {
  const config = { CASE_RUN_SWEEP_MS: 0, CASE_RUN_GRACE_MS: 60_000 } as AppConfig;

  it('starts, once, the run of a committed case whose start failed, even with two sweeps at a time', async () => {
    // The engine is down when the case is opened: the case is accepted, the start logged and left.
    const down: ProcessEngine = {
      ...h.engine,
      name: 'dbos',
      start: () => Promise.reject(new Error('engine down')),
    } as unknown as ProcessEngine;
    const c = await new CaseService(h.tenantDb, down, h.audit).open(req());
    expect(await h.engine.describe(c.id)).toBeNull();
    const before = await row(c.id);
    expect(before?.run_started_at).toBeNull();
    expect(before?.run_input).toMatchObject({ municipalityId: mun });

    const starts: string[] = [];
    const start = h.engine.start.bind(h.engine);
    const spy = jest
      .spyOn(h.engine, 'start')
      .mockImplementation(async (key, caseId, input, opts) => {
        starts.push(caseId);
        return start(key, caseId, input, opts);
      });
    try {
      const a = new CaseRunRecovery(h.ds, h.tenantDb, h.cases, config);
      const b = new CaseRunRecovery(h.ds, h.tenantDb, h.cases, config);
      // Within the grace period the start after commit still has its chance: nothing is started.
      await a.sweep();
      expect(starts.filter((id) => id === c.id)).toEqual([]);

      const later = () => new Date(Date.now() + config.CASE_RUN_GRACE_MS + 1_000);
      a.now = later;
      b.now = later;
      await Promise.all([a.sweep(), b.sweep()]);
      expect(starts.filter((id) => id === c.id)).toEqual([c.id]);
      expect((await h.engine.describe(c.id))?.status).toBe('running');
      const after = await row(c.id);
      expect(after?.run_started_at).toBeInstanceOf(Date);
      expect(after?.run_input).toBeNull();

      await a.sweep();
      expect(starts.filter((id) => id === c.id)).toEqual([c.id]);
    } finally {
      spy.mockRestore();
    }
    const run = await eventually(() => h.engine.describe(c.id), 5_000, 'run');
    expect(run.processKey).toBe('reference');
    await h.cases.cancel('system', mun, c.id, 'test over');
  });

  it('leaves a case whose start still fails for the next sweep', async () => {
    const down = {
      start: () => Promise.reject(new Error('engine down')),
    } as unknown as ProcessEngine;
    const c = await new CaseService(h.tenantDb, down, h.audit).open(req());
    const failing = new CaseService(h.tenantDb, down, h.audit);
    const sweep = new CaseRunRecovery(h.ds, h.tenantDb, failing, config);
    sweep.now = () => new Date(Date.now() + config.CASE_RUN_GRACE_MS + 1_000);
    await sweep.sweep();
    expect((await row(c.id))?.run_started_at).toBeNull();
    const ok = new CaseRunRecovery(h.ds, h.tenantDb, h.cases, config);
    ok.now = sweep.now;
    await ok.sweep();
    expect((await row(c.id))?.run_started_at).toBeInstanceOf(Date);
    await h.cases.cancel('system', mun, c.id, 'test over');
  });
});
