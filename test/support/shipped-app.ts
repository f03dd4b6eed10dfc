import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config/config';
import { dropDatabase, withUserAndDb } from '../../src/platform/database/provision';
import { APP_ROLE, ENGINE_ROLE, OWNER_ROLE } from '../../src/platform/database/roles';
import { ROOT, freePort, stopChild } from './built-app';
import { startDivStandIn, type RunningStandIn } from './div-stand-in';
import { TEST_RUN_SETTINGS } from './global-setup';

const run = promisify(execFile);

export interface ShippedApp {
  url: string;
  env: Record<string, string>;
  /** What `db:setup` and `seed:demo` printed, and how long each took. */
  setup: { command: string; ms: number; stdout: string }[];
  /** Everything the app wrote (pino JSON lines and stderr), to assert on its log. */
  output(): string;
  close(): Promise<void>;
}

/**
 * The platform as the README brings it up: a database of its own prepared by the README's commands
 * (`cli.js db:setup`, `cli.js seed:demo`) and the app started from the build (`dist/src/main.js`) as a
 * child process. Only configuration differs from a user's machine: database name, port, seal folder.
 */
export async function startShippedApp(env: Record<string, string> = {}): Promise<ShippedApp> {
  const main = join(ROOT, 'dist', 'src', 'main.js');
  if (!existsSync(main))
    throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
  const admin = loadConfig().DATABASE_ADMIN_URL;
  const database = `civitas_tour_${process.pid}_${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const sealDir = mkdtempSync(join(tmpdir(), 'civitas-tour-seal-'));
  // As scripts/up.sh does: the e-address goes through the DIV adapter to the stand-in process.
  const standIn: RunningStandIn | null = env.EADRESE_MODE ? null : await startDivStandIn();
  const eAddress: Record<string, string> = standIn
    ? {
        EADRESE_MODE: 'div',
        EADRESE_ENDPOINT: standIn.endpoint,
        EADRESE_CERT_P12: standIn.pki.clientP12,
        EADRESE_CERT_PASSWORD: standIn.pki.p12Password,
        EADRESE_SERVER_CA: standIn.pki.caCert,
        EADRESE_STANDIN_INBOX_URL: standIn.web,
      }
    : {};
  const fullEnv: Record<string, string> = {
    ...(Object.fromEntries(
      Object.entries(process.env).filter(
        ([k, v]) =>
          v !== undefined &&
          !k.startsWith('DATABASE_') &&
          k !== 'NODE_ENV' &&
          !(TEST_RUN_SETTINGS as readonly string[]).includes(k),
      ),
    ) as Record<string, string>),
    DATABASE_ADMIN_URL: admin,
    DATABASE_URL: withUserAndDb(admin, APP_ROLE, database),
    DATABASE_OWNER_URL: withUserAndDb(admin, OWNER_ROLE, database),
    DATABASE_ENGINE_URL: withUserAndDb(admin, ENGINE_ROLE, database),
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SEAL_DIR: sealDir,
    LOG_LEVEL: 'info',
    ...eAddress,
    ...env,
  };
  const setup: ShippedApp['setup'] = [];
  for (const command of ['db:setup', 'seed:demo']) {
    const t0 = Date.now();
    const { stdout } = await run(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), command], {
      cwd: ROOT,
      env: fullEnv,
      maxBuffer: 64 * 1024 * 1024,
    });
    setup.push({ command, ms: Date.now() - t0, stdout });
  }
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the app exited with ${child.exitCode} before it answered /health:\n${out}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline)
      throw new Error(`the app did not answer /health within 90 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    env: fullEnv,
    setup,
    output: () => out,
    async close() {
      await stopChild(child);
      await standIn?.stop();
      rmSync(sealDir, { recursive: true, force: true });
      if (!process.env.CIVITAS_KEEP_TEST_DB) await dropDatabase(admin, database);
    },
  };
}
