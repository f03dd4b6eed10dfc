import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Benchmarks that cannot rot (issue 16): every `bench/` script runs here with tiny sizes, through
 * the same code paths as a real measurement, so a script that no longer runs fails the suite
 * instead of leaving stale figures in docs/benchmarks.md. The figures printed here mean nothing;
 * the test only requires a clean exit and at least one printed figure.
 */
const ROOT = join(__dirname, '..', '..', '..');

interface Bench {
  script: string;
  env?: Record<string, string>;
  args?: string[];
  /** Text of a line every successful run prints with a figure (digits and ms or /s) in it. */
  figure: string;
}

const BENCHES: Bench[] = [
  {
    script: 'bench/registers.ts',
    env: { BENCH_PERSONS: '300', BENCH_SAMPLES: '20' },
    figure: 'PersonsService.search by code',
  },
  {
    script: 'bench/deadlines-delivery.ts',
    env: { BENCH_N: '20' },
    figure: 'send (claim + simulator + record)',
  },
  {
    script: 'bench/engine.ts',
    env: { BENCH_STEPS: '20', BENCH_CASES: '10', BENCH_CONCURRENCY: '5' },
    figure: 'all runs completed in',
  },
  {
    script: 'bench/documents.ts',
    env: { BENCH_DOCS: '4', BENCH_MEMORY_DOCS: '4', PDF_POOL_SIZE: '1' },
    figure: '-page decision (render, print, seal, store)',
  },
  {
    script: 'bench/residence.ts',
    env: {
      BENCH_PERSONS: '400',
      BENCH_LOOKUPS: '5',
      BENCH_PAGES: '5',
      BENCH_DECLARATIONS: '3',
      BENCH_CONCURRENCY: '2',
    },
    figure: 'person lookup',
  },
  {
    script: 'bench/workspace.ts',
    env: { BENCH_CASES: '50', BENCH_USERS: '2', BENCH_SECONDS: '1', BENCH_THINK_MS: '10' },
    figure: 'inbox, default',
  },
  { script: 'bench/audit-append.mjs', args: ['20'], figure: 'verify 1 chain' },
  {
    script: 'bench/payments.ts',
    env: { BENCH_AWARDS: '30', BENCH_FILE_LINES: '20' },
    figure: 'pain.001 of 20 lines',
  },
  {
    script: 'bench/social-assistance-statistics.ts',
    env: { BENCH_AWARDS: '40', BENCH_SAMPLES: '1' },
    figure: 'ministry report, the year',
  },
  {
    script: 'bench/social-assistance.ts',
    env: { BENCH_PERSONS: '300', BENCH_APPLICATIONS: '5', BENCH_RATE: '5', BENCH_LATENCY: '1-5' },
    figure: 'submission → assessment ready',
  },
  {
    script: 'bench/e-address.ts',
    env: { BENCH_MESSAGES: '4', BENCH_PDF_BYTES: '65536', BENCH_CONCURRENCY: '2' },
    figure: 'throughput:',
  },
];

function run(b: Bench): Promise<{ code: number | null; out: string }> {
  const ts = b.script.endsWith('.ts');
  const args = ts
    ? ['-r', './test/support/swc-register.js', b.script, ...(b.args ?? [])]
    : [b.script, ...(b.args ?? [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...b.env, BENCH_SMOKE: '1', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('benchmarks run (smoke sizes)', () => {
  it.each(BENCHES.map((b) => [b.script, b] as const))(
    '%s runs to the end and prints figures',
    async (_name, b) => {
      const { code, out } = await run(b);
      if (code !== 0) {
        const first = out
          .split('\n')
          .filter((l) => /Error|error:/.test(l))
          .slice(0, 5)
          .join('\n');
        throw new Error(`${b.script} exited with ${code}:\n${first}\n…\n${out.slice(-3000)}`);
      }
      const figures = out
        .split('\n')
        .filter(
          (l) =>
            l.includes(b.figure) &&
            /\d/.test(l) &&
            (l.includes(' ms') || l.includes('/s') || l.includes(' s')),
        );
      expect(figures.length).toBeGreaterThan(0);
    },
    240_000,
  );
});
