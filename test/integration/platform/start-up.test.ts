import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { loadConfig } from '../../../src/config/config';
import { withIdleTransactionTimeout } from '../../../src/engine/dbos/dbos-engine';
import { wantsPrettyLogs } from '../../../src/platform/logging/logging.module';
import { buildApp, startBuiltApp, stopChild, type RunningApp } from '../../support/built-app';

/** The built app as production starts it (dist/src/main.js), one build for every case here. */
let outDir: string;
const apps: RunningApp[] = [];

beforeAll(() => {
  outDir = buildApp('start-up');
}, 120_000);

afterAll(async () => {
  for (const a of apps) await stopChild(a.child);
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const start = async (env: Record<string, string>): Promise<RunningApp> => {
  const app = await startBuiltApp(outDir, env);
  apps.push(app);
  return app;
};

describe('the built app at start-up', () => {
  it('prints no pg deprecation: nothing queries a client that is already executing a query', async () => {
    const app = await start({ LOG_LEVEL: 'info', NODE_OPTIONS: '--trace-deprecation' });
    // Work that borrows fresh connections from both pools (app and DBOS system database).
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        fetch(`${app.base}/${i % 2 ? 'health' : 'no-such-page'}`),
      ),
    );
    await stopChild(app.child);
    expect(app.output()).toContain('"msg":"request completed"');
    expect(app.output()).not.toContain('already executing a query');
    expect(app.output()).not.toContain('DeprecationWarning');
  }, 90_000);

  it("gives DBOS's system database connections the 60 s idle-in-transaction limit at connect", async () => {
    const url = withIdleTransactionTimeout(loadConfig().DATABASE_ENGINE_URL);
    expect(withIdleTransactionTimeout(url)).toBe(url);
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query<{ t: string }>(
        "SELECT current_setting('idle_in_transaction_session_timeout') AS t",
      );
      expect(rows[0].t).toBe('1min');
    } finally {
      await c.end();
    }
  });
});

describe('log format', () => {
  it('is readable lines only for development at a terminal, or when LOG_FORMAT=pretty; JSON otherwise', () => {
    const pretty = (
      NODE_ENV: 'development' | 'test' | 'production',
      LOG_FORMAT: 'auto' | 'json' | 'pretty',
      tty: boolean,
    ): boolean => wantsPrettyLogs({ NODE_ENV, LOG_FORMAT }, tty);
    expect(pretty('development', 'auto', true)).toBe(true);
    expect(pretty('development', 'auto', false)).toBe(false);
    expect(pretty('production', 'auto', true)).toBe(false);
    expect(pretty('test', 'auto', true)).toBe(false);
    expect(pretty('production', 'pretty', false)).toBe(true);
    expect(pretty('development', 'json', true)).toBe(false);
  });

  it('prints one readable line per request with LOG_FORMAT=pretty', async () => {
    const app = await start({ NODE_ENV: 'development', LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
    await fetch(`${app.base}/no-such-page`, { headers: { 'X-Request-Id': 'pretty-1' } });
    await stopChild(app.child);
    const line =
      app
        .output()
        .split('\n')
        .find((l) => l.includes('pretty-1')) ?? '';
    expect(line).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*: GET \/no-such-page 404 \d+ ms \(pretty-1\)$/,
    );
    // No escape codes without a terminal, and no JSON anywhere on stdout.
    expect(app.output()).not.toContain('\u001b[');
    expect(app.output()).not.toMatch(/^\{"level"/m);
  }, 90_000);

  it('stays JSON in development when stdout is not a terminal', async () => {
    const app = await start({ NODE_ENV: 'development', LOG_LEVEL: 'info' });
    await fetch(`${app.base}/no-such-page`, { headers: { 'X-Request-Id': 'json-1' } });
    await stopChild(app.child);
    const line =
      app
        .output()
        .split('\n')
        .find((l) => l.includes('json-1')) ?? '';
    expect(JSON.parse(line)).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'json-1' },
    });
  }, 90_000);
});
