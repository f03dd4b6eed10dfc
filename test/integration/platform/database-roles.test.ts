import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config/config';
import { withUserAndDb } from '../../../src/platform/database/provision';
import { ENGINE_ROLE } from '../../../src/platform/database/roles';
import {
  runtimeConnections,
  runtimeRoleProblems,
} from '../../../src/platform/database/runtime-roles';
import { clientAs } from './db';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');
const dbName = (): string => new URL(loadConfig().DATABASE_URL).pathname.slice(1);
const as = (role: string): string => withUserAndDb(loadConfig().DATABASE_ADMIN_URL, role, dbName());

/** Runs an entry point (src/main.ts by default; swc require hook) with the test run's database and `env` on top. */
function runMain(
  env: Record<string, string>,
  entry = 'src/main.ts',
): { status: number | null; out: string } {
  const r = spawnSync(
    process.execPath,
    ['-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, entry)],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function query(url: string, sql: string): Promise<string> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  } finally {
    await c.end();
  }
}

describe('the roles the running process connects as (issue 12 M6)', () => {
  it('are the app and engine roles by default, and neither may do more than it needs', async () => {
    const config = loadConfig();
    expect(runtimeConnections(config).map((c) => [c.variable, new URL(c.url).username])).toEqual([
      ['DATABASE_URL', 'civitas_app'],
      ['DATABASE_ENGINE_URL', 'civitas_engine'],
    ]);
    expect(await runtimeRoleProblems(runtimeConnections(config))).toEqual([]);
  });

  it('names the owner and a superuser given as the app or engine role', async () => {
    const problems = await runtimeRoleProblems([
      { variable: 'DATABASE_URL', url: loadConfig().DATABASE_OWNER_URL, tenantData: true },
      {
        variable: 'DATABASE_ENGINE_URL',
        url: as(new URL(loadConfig().DATABASE_ADMIN_URL).username),
        tenantData: false,
      },
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL connects as civitas_owner, which has CREATEDB$/),
        expect.stringMatching(
          /^DATABASE_URL connects as civitas_owner, which may create schemas in the database/,
        ),
        expect.stringMatching(
          /^DATABASE_URL connects as civitas_owner, which may create objects in schema .*public/,
        ),
        expect.stringMatching(
          /^DATABASE_URL connects as civitas_owner, which owns .*public\.audit_log/,
        ),
        expect.stringMatching(/^DATABASE_ENGINE_URL connects as \w+, which is a superuser/),
        expect.stringMatching(/^DATABASE_ENGINE_URL connects as \w+, which has BYPASSRLS/),
        expect.stringMatching(
          /^DATABASE_ENGINE_URL connects as \w+, which has privileges on tenant tables/,
        ),
      ]),
    );
  });

  it('names a BYPASSRLS role, and a member of the owner, that own nothing themselves', async () => {
    const su = await clientAs('superuser');
    const bypass = `civitas_t_bypass_${randomBytes(3).toString('hex')}`;
    const member = `civitas_t_member_${randomBytes(3).toString('hex')}`;
    try {
      await su.query(`CREATE ROLE ${bypass} LOGIN BYPASSRLS`);
      await su.query(`CREATE ROLE ${member} LOGIN NOINHERIT IN ROLE civitas_owner`);
      const problems = await runtimeRoleProblems([
        { variable: 'DATABASE_URL', url: as(bypass), tenantData: true },
        { variable: 'DATABASE_URL', url: as(member), tenantData: true },
      ]);
      expect(problems).toEqual([
        `DATABASE_URL connects as ${bypass}, which has BYPASSRLS (row-level security does not apply to it)`,
        expect.stringMatching(
          new RegExp(
            `^DATABASE_URL connects as ${member}, which owns \\(or is a member of the owner of\\) `,
          ),
        ),
      ]);
    } finally {
      await su.query(`DROP ROLE IF EXISTS ${bypass}`);
      await su.query(`DROP ROLE IF EXISTS ${member}`);
      await su.end();
    }
  });

  it('gives the engine role the DBOS system tables and nothing else: no DDL, no tenant data', async () => {
    const engine = loadConfig().DATABASE_ENGINE_URL;
    expect(await query(engine, 'SELECT count(*) FROM dbos.workflow_status')).toBe('ok');
    expect(await query(engine, 'SELECT count(*) FROM public.persons')).toMatch(/permission denied/);
    expect(await query(engine, 'CREATE TABLE dbos.zz_engine_ddl (x int)')).toMatch(
      /permission denied/,
    );
    expect(await query(engine, 'CREATE TABLE public.zz_engine_ddl (x int)')).toMatch(
      /permission denied/,
    );
    expect(await query(engine, 'ALTER TABLE dbos.workflow_status ADD COLUMN zz int')).toMatch(
      /must be owner/,
    );
    expect(await query(engine, 'TRUNCATE dbos.workflow_status')).toMatch(/permission denied/);
    expect(await query(engine, 'CREATE SCHEMA zz_engine')).toMatch(/permission denied/);
    const app = loadConfig().DATABASE_URL;
    expect(await query(app, 'SELECT count(*) FROM dbos.workflow_status')).toMatch(
      /permission denied/,
    );
    expect(await query(app, 'CREATE TABLE public.zz_app_ddl (x int)')).toMatch(/permission denied/);
    expect(await query(app, 'ALTER TABLE persons DISABLE ROW LEVEL SECURITY')).toMatch(
      /must be owner/,
    );
    for (const url of [app, engine])
      expect(await query(url, 'CREATE TEMP TABLE zz_temp (x int)')).toMatch(/permission denied/);
    expect(await query(app, 'DELETE FROM typeorm_migrations')).toMatch(/permission denied/);
  });

  it('serves /health and runs the engine without the owner: its URL may point nowhere', async () => {
    const config = loadConfig({
      ...process.env,
      DATABASE_OWNER_URL: 'postgres://civitas_owner:unused@127.0.0.1:9/nowhere',
      LOG_LEVEL: 'silent',
    });
    let app: NestExpressApplication | undefined;
    try {
      app = await createApp(config);
      await app.listen(0, '127.0.0.1');
      const res = await fetch(`${await app.getUrl()}/health`);
      const body = (await res.json()) as {
        status: string;
        info: Record<string, { status: string }>;
      };
      expect(res.status).toBe(200);
      expect(body.info).toMatchObject({ database: { status: 'up' }, engine: { status: 'up' } });
    } finally {
      await app?.close();
    }
  });
});

describe('the app at start-up', () => {
  it('refuses the owner as its app role (exit 78, naming the variable, the role and why)', () => {
    const r = runMain({ DATABASE_URL: loadConfig().DATABASE_OWNER_URL });
    expect(r.status).toBe(78);
    expect(r.out).toContain(
      'Civitas did not start: a database role it connects as may do more than it needs',
    );
    expect(r.out).toMatch(
      /DATABASE_URL connects as civitas_owner, which owns \(or is a member of the owner of\) /,
    );
    expect(r.out).toContain('civitas_app (DATABASE_URL) and civitas_engine (DATABASE_ENGINE_URL)');
  });

  it('the Temporal worker refuses the owner as its app role before it connects to Temporal', () => {
    const r = runMain({ DATABASE_URL: loadConfig().DATABASE_OWNER_URL }, 'src/worker.ts');
    expect(r.status).toBe(78);
    expect(r.out).toMatch(/DATABASE_URL connects as civitas_owner, which owns/);
    expect(r.out).not.toContain('DATABASE_ENGINE_URL connects');
  });

  it('names a runtime role that does not exist and says to run db:setup (exit 78)', () => {
    const r = runMain({ DATABASE_ENGINE_URL: as('civitas_no_such_role') });
    expect(r.status).toBe(78);
    expect(r.out).toContain(
      'Civitas did not start: DATABASE_ENGINE_URL: cannot connect as civitas_no_such_role: role "civitas_no_such_role" does not exist. Run `civitas db:setup`',
    );
  });

  it('refuses the owner as its engine role', () => {
    const r = runMain({ DATABASE_ENGINE_URL: loadConfig().DATABASE_OWNER_URL });
    expect(r.status).toBe(78);
    expect(r.out).toMatch(/DATABASE_ENGINE_URL connects as civitas_owner, which owns/);
    expect(r.out).not.toContain('DATABASE_URL connects as');
  });

  it(`uses ${ENGINE_ROLE} for DBOS: the engine role is checked only with ENGINE=dbos`, () => {
    const temporal = loadConfig({ ...process.env, ENGINE: 'temporal' });
    expect(runtimeConnections(temporal).map((c) => c.variable)).toEqual(['DATABASE_URL']);
  });
});
