import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Fault, StoredReport } from '../../src/integrations/pspp/stand-in/stand-in.server';

const ROOT = join(__dirname, '..', '..');

export interface RunningPsppStandIn {
  endpoint: string;
  control: string;
  token: string;
  ca: string | null;
  /** The app's settings that point it at this stand-in. */
  appEnv: Record<string, string>;
  reports(caseNumber?: string): Promise<StoredReport[]>;
  stats(): Promise<{ requests: number; stored: number; duplicates: number; refused: number }>;
  fault(f: Fault): Promise<void>;
  clearFaults(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the PSPP stand-in as its own process (the entry point of `npm run pspp:stand-in`) on free
 * ports, HTTPS with a fresh test CA in a temp directory, and waits for its ready line.
 */
export async function startPsppStandIn(
  env: Record<string, string> = {},
): Promise<RunningPsppStandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'pspp-stand-in-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '-r',
      join(ROOT, 'test/support/swc-register.js'),
      join(ROOT, 'src/integrations/pspp/stand-in/main.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        PSPP_STANDIN_PORT: '0',
        PSPP_STANDIN_CONTROL_PORT: '0',
        PSPP_STANDIN_DATA_DIR: dir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<{
    endpoint: string;
    control: string;
    token: string;
    ca: string | null;
  }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`PSPP stand-in did not start: ${stderr}`)),
      30_000,
    );
    child.once('exit', (code) => reject(new Error(`PSPP stand-in exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{"ready"')) return;
      clearTimeout(timer);
      resolve(
        JSON.parse(line) as { endpoint: string; control: string; token: string; ca: string | null },
      );
    });
  });
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${ready.control}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok)
      throw new Error(`PSPP stand-in ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    ...ready,
    appEnv: {
      PSPP_MODE: 'http',
      PSPP_ENDPOINT: ready.endpoint,
      PSPP_TOKEN: ready.token,
      ...(ready.ca ? { PSPP_SERVER_CA: ready.ca } : {}),
    },
    reports: (caseNumber) =>
      call(
        'GET',
        `/_control/reports${caseNumber ? `?caseNumber=${encodeURIComponent(caseNumber)}` : ''}`,
      ),
    stats: () => call('GET', '/_control/stats'),
    fault: async (f) => void (await call('POST', '/_control/faults', f)),
    clearFaults: async () => void (await call('DELETE', '/_control/faults')),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
