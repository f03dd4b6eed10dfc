import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config';
import { ensureDevSeal } from '../../documents/signing/dev-seal';
import { seedDemoResidents, type DemoResidentsReport } from '../../integrations/sim/demo-residents';
import { seedRegisters, type SeedReport } from '../../integrations/sim/seed';
import { ProcessRegistry } from '../../processes/process-registry';
import { formatDemoAccounts, seedDemoAccounts } from '../accounts/demo-accounts';
import { dataSourceOptions } from '../database/data-source-options';
import { fromRoot } from '../paths';
import { DEMO_MUNICIPALITIES, seedDemoMunicipalities } from './demo';
import type { DemoContext } from './demo-support';

export interface DemoSeedOptions {
  /** The day the demo is dated from (legal clocks are backdated from it); the real date by default. */
  today?: Date;
  /** Synthetic population size and seed (default: SIMULATOR_PERSONS, SIMULATOR_SEED). */
  persons?: number;
  seed?: number;
  log?: (line: string) => void;
  /** Builds the app that opens the cases (default: createApp with the same config). */
  createApp?: (config: AppConfig) => Promise<INestApplication>;
}

export interface DemoSeedReport {
  population: SeedReport;
  residents: DemoResidentsReport;
  /** Case numbers opened by this run, per municipality code. */
  opened: Record<string, string[]>;
  counts: DemoCounts;
  ms: number;
}

/** What the demo world holds, for the console and for checking that a second run adds nothing. */
export interface DemoCounts {
  municipalities: number;
  accounts: number;
  simPersons: number;
  simResidences: number;
  /** Per municipality code: cases by process and state. */
  cases: Record<string, Record<string, number>>;
}

/**
 * `seed:demo`: municipalities, accounts, e-seals (not in production), the register simulators with
 * the dev-IdP residents, then cases in every state for each demo municipality, opened through the
 * app's own services. Idempotent: a second run finds everything and adds nothing.
 */
export async function seedDemo(
  config: AppConfig,
  opts: DemoSeedOptions = {},
): Promise<DemoSeedReport> {
  const started = Date.now();
  const log = opts.log ?? ((): void => undefined);
  const ds = new DataSource(dataSourceOptions(config.DATABASE_OWNER_URL));
  await ds.initialize();
  let residents: DemoResidentsReport;
  let population: SeedReport;
  try {
    const ms = await seedDemoMunicipalities(ds);
    log(`municipalities: ${ms.map((m) => `${m.name} (${m.code})`).join(', ')}`);
    for (const m of ms.filter((x) => DEMO_MUNICIPALITIES.some((d) => d.code === x.code)))
      log(formatDemoAccounts(m.name, await seedDemoAccounts(ds, m.id)));
    ensureSeals(config, log);
    population = await seedRegisters(config.DATABASE_OWNER_URL, {
      persons: opts.persons ?? config.SIMULATOR_PERSONS,
      seed: opts.seed ?? config.SIMULATOR_SEED,
      log,
    });
    // A population loaded before the demo residents existed gets them now.
    residents = await seedDemoResidents(ds);
    log(
      `register simulators: ${population.skipped ? 'population kept' : `${population.persons} persons loaded`}; demo residents added: ${JSON.stringify(residents)}`,
    );
  } finally {
    await ds.destroy();
  }
  const opened = await seedDemoCases(config, opts, log);
  const counts = await demoCounts(config);
  return { population, residents, opened, counts, ms: Date.now() - started };
}

function ensureSeals(config: AppConfig, log: (line: string) => void): void {
  if (config.NODE_ENV === 'production') return;
  const dir = config.SEAL_DIR.startsWith('/') ? config.SEAL_DIR : fromRoot(config.SEAL_DIR);
  for (const m of DEMO_MUNICIPALITIES) {
    const r = ensureDevSeal({
      dir,
      municipalityCode: m.code,
      municipalityName: m.name,
      passphrase: config.SEAL_PASSPHRASE,
    });
    log(
      `e-seal for ${m.code}: ${r.created.seal ? 'created' : 'kept'} ${r.sealPath} (development CA ${r.caCertPath})`,
    );
  }
}

async function seedDemoCases(
  config: AppConfig,
  opts: DemoSeedOptions,
  log: (line: string) => void,
): Promise<Record<string, string[]>> {
  const app = opts.createApp
    ? await opts.createApp(config)
    : await (await import('../../app')).createApp(config);
  await app.init();
  try {
    const ds = app.get(DataSource);
    const rows = (await ds.query(
      `SELECT id, code, country FROM municipalities WHERE code = ANY($1) ORDER BY code DESC`,
      [DEMO_MUNICIPALITIES.map((m) => m.code)],
    )) as DemoContext['municipality'][];
    const opened: Record<string, string[]> = {};
    for (const municipality of rows) {
      const ctx: DemoContext = {
        app,
        municipality,
        today: opts.today ?? new Date(),
        log,
        waitMs: 60_000,
      };
      // Each process module seeds its own cases (none where it is not offered); the reference
      // process has cases in every state everywhere.
      opened[municipality.code] = [];
      for (const m of app.get(ProcessRegistry).modules)
        opened[municipality.code].push(...((await m.demoCases?.(ctx)) ?? []));
    }
    return opened;
  } finally {
    await app.close();
  }
}

/** Counts of what the demo world holds (as the schema owner; tenant tables read per municipality). */
export async function demoCounts(config: AppConfig): Promise<DemoCounts> {
  const ds = new DataSource(dataSourceOptions(config.DATABASE_OWNER_URL));
  await ds.initialize();
  try {
    const one = async (sql: string, params: unknown[] = []): Promise<number> =>
      ((await ds.query(sql, params)) as { n: number }[])[0].n;
    const municipalities = (await ds.query(
      `SELECT id, code FROM municipalities WHERE code = ANY($1)`,
      [DEMO_MUNICIPALITIES.map((m) => m.code)],
    )) as { id: string; code: string }[];
    const cases: DemoCounts['cases'] = {};
    for (const m of municipalities) {
      const rows = await ds.transaction(async (em) => {
        await em.query(`SELECT set_config('app.municipality_id', $1, true)`, [m.id]);
        return (await em.query(
          `SELECT process_key || ' ' || status || ' ' || stage AS k, count(*)::int AS n FROM cases GROUP BY 1 ORDER BY 1`,
        )) as { k: string; n: number }[];
      });
      cases[m.code] = Object.fromEntries(rows.map((r) => [r.k, r.n]));
    }
    return {
      municipalities: municipalities.length,
      accounts: await one(`SELECT count(*)::int AS n FROM accounts`),
      simPersons: await one(`SELECT count(*)::int AS n FROM sim_persons`),
      simResidences: await one(`SELECT count(*)::int AS n FROM sim_residences`),
      cases,
    };
  } finally {
    await ds.destroy();
  }
}
