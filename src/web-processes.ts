import cluster, { type Worker } from 'node:cluster';

/** Restart delays after a web process dies: doubling from 1 s up to 30 s while it keeps dying young. */
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
/** A process that served this long is healthy again: its next restart is quick. */
const HEALTHY_AFTER_MS = 60_000;

const line = (level: 'info' | 'warn', msg: string): void => {
  process.stderr.write(
    `${JSON.stringify({ level: level === 'info' ? 30 : 40, time: Date.now(), msg })}\n`,
  );
};

/**
 * The primary of WEB_PROCESSES HTTP processes sharing one port (node:cluster hands connections to
 * them in turn). Each is a whole app instance with its own engine executor id
 * (`<ENGINE_EXECUTOR_ID>-<n>`), stable across restarts, so on launch it recovers its own pending
 * runs. They start one after the other (the first engine launch may migrate its system tables);
 * one that dies is started again with backoff; SIGTERM or SIGINT stops them all and then the primary.
 */
export async function superviseWebProcesses(count: number, executorId: string): Promise<void> {
  let stopping = false;
  const workers = new Map<number, Worker>();

  const start = (n: number, delay = FIRST_DELAY_MS): Promise<void> =>
    new Promise((resolve) => {
      const started = Date.now();
      const worker = cluster.fork({ ENGINE_EXECUTOR_ID: `${executorId}-${n}`, WEB_PROCESSES: '1' });
      workers.set(n, worker);
      worker.once('listening', () => resolve());
      worker.once('exit', (code, signal) => {
        workers.delete(n);
        resolve();
        if (stopping) {
          if (workers.size === 0) process.exit(0);
          return;
        }
        const wait = Date.now() - started > HEALTHY_AFTER_MS ? FIRST_DELAY_MS : delay;
        line(
          'warn',
          `web process ${n} exited (${signal ?? `code ${code}`}); starting it again in ${wait} ms`,
        );
        setTimeout(() => {
          if (!stopping) void start(n, Math.min(wait * 2, MAX_DELAY_MS));
        }, wait);
      });
    });

  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    if (workers.size === 0) process.exit(0);
    for (const w of workers.values()) w.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  for (let n = 1; n <= count && !stopping; n++) await start(n);
  if (!stopping) line('info', `${count} web processes listening`);
}
