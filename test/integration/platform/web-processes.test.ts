import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp, freePort, ROOT, stopChild } from '../../support/built-app';

/** The built app started as in production with WEB_PROCESSES=2: a primary and two web processes. */
let outDir: string;

let primary: ChildProcess;
let base: string;
let stderr = '';

/** Live processes whose parent is `pid` (from /proc). */
const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(f[1]) === pid && f[0] !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);

async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const start = async (env: Record<string, string>): Promise<ChildProcess> => {
  const child = spawn(process.execPath, [join(outDir, 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return child;
};

beforeAll(async () => {
  outDir = buildApp('web-processes');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  primary = await start({
    PORT: String(port),
    WEB_PROCESSES: '2',
    DEV_IDP_ENABLED: 'false',
    ENGINE_EXECUTOR_ID: `wp-${randomBytes(3).toString('hex')}`,
  });
  await until(
    '2 web processes listening',
    () => stderr.includes('2 web processes listening'),
    90_000,
  );
}, 150_000);

afterAll(async () => {
  await stopChild(primary);
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('WEB_PROCESSES: several HTTP processes on one port', () => {
  it('serves from two web processes under one primary', async () => {
    expect(childrenOf(primary.pid!)).toHaveLength(2);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${base}/health`, { headers: { connection: 'close' } }).then((r) => r.status),
      ),
    );
    expect(answers).toEqual(Array<number>(10).fill(200));
  });

  it('starts a web process that died again, and keeps serving meanwhile', async () => {
    const [victim, survivor] = childrenOf(primary.pid!);
    process.kill(victim, 'SIGKILL');
    await until('the primary to see it', () =>
      /web process \d exited \(SIGKILL\); starting it again in 1000 ms/.test(stderr),
    );
    // The replacement needs seconds to boot: this answer comes from the survivor.
    expect(
      (
        await fetch(`${base}/health`, {
          headers: { connection: 'close' },
          signal: AbortSignal.timeout(5000),
        })
      ).status,
    ).toBe(200);
    const now = await until('a new web process', () => {
      const c = childrenOf(primary.pid!);
      return c.length === 2 && !c.includes(victim) ? c : undefined;
    });
    expect(now).toContain(survivor);
  }, 90_000);

  it('stops every web process and then itself on SIGTERM', async () => {
    const children = childrenOf(primary.pid!);
    const exited = new Promise<number | null>((r) => primary.once('exit', (code) => r(code)));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    await until('the web processes to end', () =>
      children.every((pid) => !readdirSync('/proc').includes(String(pid))),
    );
  }, 60_000);
});
