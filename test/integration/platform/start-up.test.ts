import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { loadConfig } from '../../../src/config/config';
import { withIdleTransactionTimeout } from '../../../src/engine/dbos/dbos-engine';
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
    const url = withIdleTransactionTimeout(loadConfig().DATABASE_OWNER_URL);
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
