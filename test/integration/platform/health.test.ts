import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp, freePort, ROOT, stopChild } from '../../support/built-app';

/**
 * Runs the built application as its own process (as in production) so that what it writes to
 * stdout can be read: pino writes straight to file descriptor 1, which a test cannot capture in
 * process.
 */
let outDir: string;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let child: ChildProcess;
let base: string;
let stdout = '';
let stderr = '';

async function waitForHealth(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (e) {
      if (Date.now() > until || child.exitCode !== null)
        throw new Error(`app did not start: ${String(e)}\n${stdout}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Log lines written so far, each parsed (a line that is not JSON fails the test here). */
const logLines = (): Record<string, unknown>[] =>
  stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const requestLogFor = async (id: string): Promise<Record<string, unknown>> => {
  // The child writes its request log after the response; on a loaded machine that can take seconds.
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const line = logLines().find((l) => (l.req as { id?: string } | undefined)?.id === id);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no log line with request id ${id} in:\n${stdout}`);
};

beforeAll(async () => {
  outDir = buildApp('health');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [join(outDir, 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'info', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitForHealth(`${base}/health`, 30_000);
}, 90_000);

afterAll(async () => {
  await stopChild(child);
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('GET /health', () => {
  it('reports the database and the embedded DBOS engine up', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' }, engine: { status: 'up', engine: 'dbos' } },
      error: {},
      details: { database: { status: 'up' }, engine: { status: 'up', engine: 'dbos' } },
    });
  });
});

describe('request ids and JSON logs', () => {
  it('echoes the X-Request-Id a client sends and logs the request under it as a JSON line', async () => {
    const id = `client-${randomBytes(4).toString('hex')}`;
    const res = await fetch(`${base}/no-such-page`, { headers: { 'X-Request-Id': id } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe(id);
    const line = await requestLogFor(id);
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id, method: 'GET', url: '/no-such-page' },
      res: { statusCode: 404 },
    });
    expect(typeof line.time).toBe('number');
  });

  it('generates a UUID request id when the client sends none, or an unusable one', async () => {
    const none = await fetch(`${base}/no-such-page`);
    const generated = none.headers.get('x-request-id') ?? '';
    expect(generated).toMatch(UUID);
    await requestLogFor(generated);

    const hostile = await fetch(`${base}/no-such-page`, {
      headers: { 'X-Request-Id': 'a b"c<script>' },
    });
    const replaced = hostile.headers.get('x-request-id') ?? '';
    expect(replaced).toMatch(UUID);
    const tooLong = await fetch(`${base}/no-such-page`, {
      headers: { 'X-Request-Id': 'x'.repeat(65) },
    });
    expect(tooLong.headers.get('x-request-id')).toMatch(UUID);
    expect(new Set([generated, replaced, tooLong.headers.get('x-request-id')]).size).toBe(3);
  });

  it('carries the request id into application log lines: a failed sign-in is logged under it', async () => {
    const session = await fetch(`${base}/api/auth/session`);
    const cookie = session.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const res = await fetch(`${base}/auth/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'X-Request-Id': 'probe-1',
        cookie,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        _csrf: csrfToken,
        username: 'nobody',
        password: 'wrong password',
      }).toString(),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBe('probe-1');
    let line: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && !line; i++) {
      line = logLines().find(
        (l) =>
          (l.req as { id?: string } | undefined)?.id === 'probe-1' && l.msg === 'sign-in failed',
      );
      if (!line) await new Promise((r) => setTimeout(r, 50));
    }
    expect(line).toMatchObject({ level: 40, req: { id: 'probe-1', url: '/auth/sign-in' } });
    expect(JSON.stringify(line)).not.toContain('wrong password');
  });

  it('writes only JSON lines to stdout and does not log cookies', async () => {
    await fetch(`${base}/no-such-page`, {
      headers: { 'X-Request-Id': 'with-cookie', Cookie: 'sid=secret-session-value' },
    });
    const line = await requestLogFor('with-cookie');
    expect(JSON.stringify(line)).not.toContain('secret-session-value');
    expect(logLines().length).toBeGreaterThan(3);
  });
});
