import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** A free TCP port on loopback (the OS picks it and it is released for the caller to take). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/** Compiles the app as the build does (tsconfig.build.json) into a folder of this test's own; returns it. */
export function buildApp(name: string): string {
  const outDir = join(
    ROOT,
    'test-output',
    `${name}-${process.pid}-${randomBytes(3).toString('hex')}`,
  );
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      outDir,
    ],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
  return outDir;
}

/** SIGTERM to a child that still runs, and its exit awaited. */
export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export interface RunningApp {
  child: ChildProcess;
  base: string;
  /** Everything the process wrote so far. */
  output: () => string;
}

/**
 * Starts `<outDir>/src/main.js` as its own process on a free port, with the test run's database
 * and `env` on top, and waits until it answers HTTP (bounded; fails with its output).
 */
export async function startBuiltApp(
  outDir: string,
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<RunningApp> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(outDir, 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      PUBLIC_URL: base,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(`${base}/health`);
      return { child, base, output: () => out };
    } catch (e) {
      if (Date.now() > until || child.exitCode !== null) {
        await stopChild(child);
        throw new Error(`app did not start: ${String(e)}\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
