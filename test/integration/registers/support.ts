import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config/config';
import { seedRegisters, type SeedReport } from '../../../src/integrations/sim/seed';

/** The standard test population: every test file that asks for it gets the same data, seeded once. */
export const TEST_SEED = 4242;
export const TEST_PERSONS = 2000;

export const seedStandardPopulation = (): Promise<SeedReport> =>
  seedRegisters(process.env.DATABASE_OWNER_URL!, { seed: TEST_SEED, persons: TEST_PERSONS });

/** Runs a query as the schema owner (outside RLS) for fixtures and checks. */
export async function ownerQuery<T = Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new Client({ connectionString: process.env.DATABASE_OWNER_URL });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Runs a query as the owner with the tenant set, as RLS is forced even for the owner. */
export async function tenantQuery<T = Record<string, unknown>>(
  municipalityId: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new Client({ connectionString: process.env.DATABASE_OWNER_URL });
  await c.connect();
  try {
    await c.query('BEGIN');
    await c.query(`SELECT set_config('app.municipality_id', $1, true)`, [municipalityId]);
    const rows = (await c.query(sql, params)).rows as T[];
    await c.query('COMMIT');
    return rows;
  } finally {
    await c.end();
  }
}

/**
 * The real application, initialised for supertest; tests sign in with test/support/session.ts.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<INestApplication> {
  const app = await createApp(loadConfig({ ...process.env, LOG_LEVEL: 'silent', ...env }));
  await app.init();
  return app;
}
