import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import {
  DivEAddressAdapter,
  type DivAdapterConfig,
} from '../../src/integrations/e-adrese/div.adapter';
import type { EAddressEnvelope } from '../../src/integrations/e-adrese/e-address.port';
import {
  createDivTestPki,
  type DivTestPki,
} from '../../src/integrations/e-adrese/stand-in/test-pki';

const ROOT = join(__dirname, '..', '..');

export interface RunningStandIn {
  endpoint: string;
  web: string;
  pki: DivTestPki;
  /** Calls the stand-in's control API (JSON). */
  control<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** An adapter pointed at this stand-in with the connection's certificate. */
  adapter(overrides?: Partial<DivAdapterConfig>): DivEAddressAdapter;
  stop(): Promise<void>;
}

/**
 * Starts the DIV stand-in as its own process (the same entry point as `npm run div:stand-in`) on
 * free ports, with a fresh openssl-made test PKI in a temp directory, and waits for its ready line.
 */
export async function startDivStandIn(env: Record<string, string> = {}): Promise<RunningStandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'div-stand-in-'));
  const pki = createDivTestPki(join(dir, 'pki'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '-r',
      join(ROOT, 'test/support/swc-register.js'),
      join(ROOT, 'src/integrations/e-adrese/stand-in/main.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        DIV_STANDIN_PORT: '0',
        DIV_STANDIN_WEB_PORT: '0',
        DIV_STANDIN_DATA_DIR: join(dir, 'data'),
        DIV_STANDIN_PKI_DIR: pki.dir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<{ endpoint: string; web: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`DIV stand-in did not start: ${stderr}`)),
      30_000,
    );
    child.once('exit', (code) => reject(new Error(`DIV stand-in exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{"ready"')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as { endpoint: string; web: string });
    });
  });
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${ready.web}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok)
      throw new Error(`stand-in control ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    ...ready,
    pki,
    control,
    adapter: (overrides = {}) =>
      new DivEAddressAdapter({
        endpoint: ready.endpoint,
        certP12Path: pki.clientP12,
        certPassword: pki.p12Password,
        serverCaPath: pki.caCert,
        timeoutMs: 10_000,
        ...overrides,
      }),
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

/** A letter from the municipality to a resident, as the delivery channel builds it. */
export function letter(
  ref: string,
  files: Buffer[] = [Buffer.from('%PDF-1.7 lēmums')],
  recipient = '010190-12345',
): EAddressEnvelope {
  return {
    title: 'Lēmums par būvatļauju',
    date: '2026-12-05T10:00:00.000Z',
    documentKind: 'NOTIFICATION',
    authors: ['Tukuma novada pašvaldība'],
    content: 'Lēmums pielikumā.',
    files: files.map((content, i) => ({
      name: `lemums-${i}.pdf`,
      mimeType: 'application/pdf',
      size: content.length,
      sha256: '',
      open: () => Readable.from([content]),
    })),
    senderEAddress: '_DEFAULT@90000050975',
    senderReference: ref,
    recipients: [recipient],
    notifyOnDelivery: true,
  };
}
