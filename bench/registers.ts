/**
 * Registers and person search benchmark.
 *
 *   node -r ./test/support/swc-register.js bench/registers.ts [--persons 1000000] [--samples 2000] [--drop]
 *
 * Env: BENCH_PERSONS, BENCH_SAMPLES (the same as the flags). Creates its own database
 * (civitas_bench_registers, kept for the next run unless --drop; a fresh one dropped at the end
 * under BENCH_SMOKE=1, as the test suite runs it), seeds the simulators with N persons
 * (timed), then times each operation through the real code paths (simulator adapters and
 * PersonsService with TenantDb/RLS, takeover and audit) on the app role's pool, sequentially and
 * with 8 concurrent callers. Prints percentiles in milliseconds.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/config';
import {
  ADDRESS_REGISTER,
  type AddressRegister,
} from '../src/integrations/address/address-register.port';
import {
  POPULATION_REGISTER,
  type PopulationRegister,
} from '../src/integrations/population/population-register.port';
import { seedRegisters } from '../src/integrations/sim/seed';
import { PersonsService } from '../src/persons/persons.service';
import type { Viewer } from '../src/persons/viewer';
import { runMigrations } from '../src/platform/database/migrate';
import { dropDatabase, provisionDatabase, withUserAndDb } from '../src/platform/database/provision';
import { APP_ROLE, OWNER_ROLE } from '../src/platform/database/roles';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const env = process.env[`BENCH_${name.toUpperCase()}`];
  return i >= 0 ? Number(process.argv[i + 1]) : env ? Number(env) : def;
};
const PERSONS = arg('persons', 1_000_000);
const SAMPLES = arg('samples', 2000);
const SMOKE = process.env.BENCH_SMOKE === '1';
const DB = SMOKE
  ? `civitas_bench_registers_${process.pid}_${randomBytes(4).toString('hex')}`
  : 'civitas_bench_registers';
const DROP = SMOKE || process.argv.includes('--drop');

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function time(
  label: string,
  inputs: string[],
  fn: (x: string) => Promise<unknown>,
  concurrency = 1,
): Promise<void> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < inputs.length) {
        const x = inputs[next++];
        const t = performance.now();
        await fn(x);
        lat.push(performance.now() - t);
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  console.log(
    `${label.padEnd(58)} n=${String(lat.length).padStart(5)} c=${concurrency}  p50 ${pct(lat, 50).toFixed(2)}  p95 ${pct(lat, 95).toFixed(2)}  p99 ${pct(lat, 99).toFixed(2)}  max ${Math.max(...lat).toFixed(1)} ms  ${(lat.length / wall).toFixed(0)}/s`,
  );
}

async function main(): Promise<void> {
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const ownerUrl = withUserAndDb(base.DATABASE_ADMIN_URL, OWNER_ROLE, DB);
  await provisionDatabase(base.DATABASE_ADMIN_URL, DB);
  await runMigrations(ownerUrl);
  const seeded = await seedRegisters(ownerUrl, { seed: base.SIMULATOR_SEED, persons: PERSONS });
  console.log(
    seeded.skipped
      ? `simulators already hold ${PERSONS} persons (seed ${base.SIMULATOR_SEED})`
      : `seeded ${seeded.persons} persons in ${(seeded.ms / 1000).toFixed(1)} s: ${JSON.stringify(seeded.rows)}`,
  );

  // fixtures: sampled with a fixed seed so runs compare
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  await owner.query(`SELECT setseed(0.42)`);
  // Staff see their own residents only (issue 11 D7): the bench municipality covers the register
  // municipality with the most declared residents, and the codes looked up are of its residents.
  const [{ territory }] = (
    await owner.query<{ territory: string }>(
      `SELECT a.municipality AS territory FROM sim_residences r JOIN sim_addresses a ON a.code = r.address_code
        WHERE r.valid_to IS NULL GROUP BY a.municipality ORDER BY count(*) DESC, a.municipality LIMIT 1`,
    )
  ).rows;
  const codes = (
    await owner.query<{ c: string }>(
      `SELECT DISTINCT ON (r.personal_code) r.personal_code AS c FROM sim_residences r JOIN sim_addresses a ON a.code = r.address_code
        WHERE r.valid_to IS NULL AND a.municipality = $2 ORDER BY r.personal_code, random() LIMIT $1`,
      [SAMPLES * 2, territory],
    )
  ).rows.map((r) => r.c);
  const names = (
    await owner.query<{ n: string }>(
      `SELECT family_name_norm || ' ' || given_name_norm AS n FROM sim_persons ORDER BY random() LIMIT $1`,
      [SAMPLES],
    )
  ).rows.map((r) => r.n);
  const families = (
    await owner.query<{ n: string }>(
      `SELECT family_name AS n FROM sim_persons ORDER BY random() LIMIT $1`,
      [Math.ceil(SAMPLES / 4)],
    )
  ).rows.map((r) => r.n);
  const addrs = (
    await owner.query<{ t: string }>(
      `SELECT coalesce(street, house) || ' ' || house || ' ' || territory AS t FROM sim_addresses WHERE kind <> 'apartment' ORDER BY random() LIMIT $1`,
      [Math.ceil(SAMPLES / 2)],
    )
  ).rows.map((r) => r.t);
  const muni = (
    await owner.query<{ id: string }>(
      `INSERT INTO municipalities (code, name, country) VALUES ('bench-' || gen_random_uuid(), 'Bench', 'LV') RETURNING id`,
    )
  ).rows[0].id;
  await owner.query(`SELECT set_config('app.municipality_id', $1, false)`, [muni]);
  await owner.query(
    `INSERT INTO residence_territories (municipality_id, register_municipality) VALUES ($1, $2)`,
    [muni, territory],
  );
  await owner.end();

  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    DATABASE_URL: withUserAndDb(base.DATABASE_ADMIN_URL, APP_ROLE, DB),
    DATABASE_OWNER_URL: ownerUrl,
  });
  const ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: false,
  });
  const population = ctx.get<PopulationRegister>(POPULATION_REGISTER);
  const addresses = ctx.get<AddressRegister>(ADDRESS_REGISTER);
  const persons = ctx.get(PersonsService);
  const viewer: Viewer = {
    accountId: randomUUID(),
    municipalityId: muni,
    roles: ['caseworker:residence'],
  };

  const [coldCodes, moreCodes] = [codes.slice(0, SAMPLES), codes.slice(SAMPLES)];
  await time('warm-up', moreCodes.slice(0, 200), (c) => population.getPerson(c));
  console.log(
    `\n${PERSONS} persons in the population register simulator; the municipality covers ${territory} (${codes.length} residents sampled)`,
  );
  await time('population register: person by code', moreCodes, (c) => population.getPerson(c));
  await time('population register: person by code', moreCodes, (c) => population.getPerson(c), 8);
  await time('population register: name search "family given" (limit 20)', names, (n) =>
    population.searchByName({ text: n }),
  );
  await time('population register: name search family name only (limit 20)', families, (n) =>
    population.searchByName({ text: n }),
  );
  await time('address register: text search "street house town"', addrs, (t) =>
    addresses.search({ text: t }),
  );
  await time('PersonsService.search by code, first time (register + takeover)', coldCodes, (c) =>
    persons.search(viewer, { q: c, purpose: 'register-quality' }),
  );
  await time('PersonsService.search by code, known to municipality', coldCodes, (c) =>
    persons.search(viewer, { q: c, purpose: 'register-quality' }),
  );
  await time(
    'PersonsService.search by code, known to municipality',
    coldCodes,
    (c) => persons.search(viewer, { q: c, purpose: 'register-quality' }),
    8,
  );
  await time(
    'PersonsService.search by name "family given" (+ register)',
    names.slice(0, Math.ceil(SAMPLES / 2)),
    (n) => persons.search(viewer, { q: n, purpose: 'register-quality' }),
  );
  await ctx.close();
  if (DROP) await dropDatabase(base.DATABASE_ADMIN_URL, DB);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
