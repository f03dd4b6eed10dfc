import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ActingUser } from '../../../src/cases/acting-user';
import { CaseService } from '../../../src/cases/case.service';
import { Task } from '../../../src/cases/task.entity';
import { TaskService } from '../../../src/cases/task.service';
import {
  PROCESS_ENGINE,
  type ProcessEngine,
  type RunDescription,
} from '../../../src/engine/process-engine';
import { ResidenceService } from '../../../src/modules/residence/residence.service';
import { dataSourceOptions } from '../../../src/platform/database/data-source-options';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { createSealFixture, PASSPHRASE } from '../../integration/documents/support';
import { createServer } from 'node:net';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config/config';
import type { RunningApp } from '../../support/app';
import { eventually } from '../../support/engine-harness';
import { SimFixtures } from '../../factories/persons';
import { createMunicipality } from '../../factories/municipalities';
import { CLOCK, type ControllableClock } from '../../../src/platform/clock/clock';

export interface ResidenceHarness {
  running: RunningApp;
  owner: DataSource;
  sim: SimFixtures;
  municipalityId: string;
  nssDir: string;
  residence: ResidenceService;
  cases: CaseService;
  tasks: TaskService;
  tenantDb: TenantDb;
  engine: ProcessEngine;
  caseworker: ActingUser;
  /** The app's controllable clock (CLOCK=controllable): tests move time instead of waiting. */
  clock: ControllableClock;
  /** Waits until the annulment run awaits the person's answer, then moves the clock past the response period. */
  passResponsePeriod(caseId: string): Promise<void>;
  openTask(caseId: string, step?: string): Promise<Task>;
  finished(caseId: string): Promise<RunDescription>;
  close(): Promise<void>;
}

/**
 * Settings that give the app a pool of ONE connection (the engine keeps its own). Code that reads
 * on a second pooled connection while its transaction holds the first waits for ever there (here:
 * fails after 30 s), which under load, with as many such callers as the pool is large, stalls every
 * run of the engine. A suite that runs a process on these settings keeps that from coming back.
 *
 * Not shorter: issuing a document holds its connection while the PDF is printed and sealed (the
 * register's number is taken in that transaction so that a failed issue leaves no gap), and on a
 * loaded CI machine that took 5–12 s; every other query of the app waits for it meanwhile.
 */
export const ONE_CONNECTION = {
  DATABASE_POOL_SIZE: '1',
  DATABASE_ENGINE_POOL_SIZE: '10',
  DATABASE_POOL_WAIT_MS: '30000',
} as const;

/** The real app (DBOS engine, registers simulators, documents with a test seal) and one municipality. */
export async function startResidenceApp(
  overrides: Record<string, string> = {},
): Promise<ResidenceHarness> {
  const code = `t${randomBytes(4).toString('hex')}`;
  const seal = await createSealFixture(code, 'Testa novada pašvaldība');
  // The port is known before start so PUBLIC_URL (the dev IdP issuer, verification links) points at the app.
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    SEAL_DIR: seal.dir,
    SEAL_PASSPHRASE: PASSPHRASE,
    PUBLIC_URL: url,
    DELIVERY_POLL_MS: '0',
    ENGINE_EXECUTOR_ID: `residence-${code}`,
    CLOCK: 'controllable',
    ...overrides,
  });
  const app = await createApp(config);
  await app.listen(port, '127.0.0.1');
  const running: RunningApp = { app, config, url, close: () => app.close() };
  const owner = new DataSource(dataSourceOptions(running.config.DATABASE_OWNER_URL));
  await owner.initialize();
  const row = await createMunicipality(owner, {
    code,
    name: 'Testa novada pašvaldība',
    registrationNumber: '90000012345',
    address: 'Pils iela 1, Tukums',
  });
  const tenantDb = running.app.get(TenantDb);
  const municipalityId = row.id;
  const clock = running.app.get<symbol, ControllableClock>(CLOCK);
  const cases = running.app.get(CaseService);
  return {
    running,
    owner,
    sim: new SimFixtures(owner),
    municipalityId,
    nssDir: seal.nssDir,
    residence: running.app.get(ResidenceService),
    cases,
    clock,
    passResponsePeriod: async (caseId) => {
      await eventually(
        async () =>
          (await cases.get(municipalityId, caseId)).stage === 'awaiting-response' ? true : null,
        20_000,
        'invitation sent',
      );
      // Beyond the national 14 days (and a municipal override of up to 30 a test may set).
      await clock.advance(31 * 86_400_000);
    },
    tasks: running.app.get(TaskService),
    tenantDb,
    engine: running.app.get(PROCESS_ENGINE),
    caseworker: { accountId: randomUUID(), municipalityId, roles: ['caseworker'] },
    openTask: (caseId, step) =>
      eventually(
        () =>
          tenantDb.run(municipalityId, (em) =>
            em.findOne(Task, { where: { caseId, status: 'open', ...(step ? { step } : {}) } }),
          ),
        20_000,
        'open task',
      ),
    finished: (caseId) =>
      eventually(
        async () => {
          const d = await running.app.get<symbol, ProcessEngine>(PROCESS_ENGINE).describe(caseId);
          return d && d.status !== 'running' ? d : null;
        },
        // Issuing and sealing the decision PDF takes a while on a loaded machine.
        90_000,
        'run to finish',
      ),
    close: async () => {
      await running.close();
      await owner.destroy();
      seal.cleanup();
    },
  };
}
