import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ChildCommand } from './engine-child';

type Cmd = ChildCommand extends infer C
  ? C extends { id: number }
    ? Omit<C, 'id'>
    : never
  : never;

/** A forked engine process (test/support/engine-child.ts) with a small IPC request API. */
export class EngineProcess {
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id?: number; result?: unknown; error?: string }) => {
      const p = m.id !== undefined ? this.pending.get(m.id) : undefined;
      if (!p) return;
      this.pending.delete(m.id!);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        for (const p of this.pending.values())
          p.reject(new Error(`engine process exited (${signal ?? code})`));
        this.pending.clear();
        resolve({ code, signal });
      }),
    );
  }

  static async spawn(env: Record<string, string>): Promise<EngineProcess> {
    const child = fork(join(__dirname, 'engine-child.ts'), [], {
      execArgv: ['-r', join(__dirname, 'swc-register.js')],
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const proc = new EngineProcess(child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', (m: { ready?: boolean }) =>
        m.ready ? resolve() : reject(new Error('unexpected first message')),
      );
      child.once('exit', (code) =>
        reject(new Error(`engine process exited before ready (${code})`)),
      );
    });
    return proc;
  }

  request<T>(cmd: Cmd): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...cmd, id });
    });
  }

  kill(): Promise<unknown> {
    this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Graceful stop: the child shuts DBOS down when the IPC channel closes. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.disconnect();
    await this.exited;
  }
}
