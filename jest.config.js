/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
// otplib's base32 and HMAC plugins (@scure/base, @noble/hashes) ship ES modules only: Node 24
// requires them natively, jest's CommonJS runtime needs them compiled like our own code.
// soap loads its MTOM parser with a dynamic import(), which jest's VM refuses: compiled, it becomes a require.
const ESM_ONLY = ['@scure', '@noble', 'soap'];
const esm = ESM_ONLY.join('|');
const transform = { '^.+\\.ts$': swc, [`/node_modules/(${esm})/.+\\.js$`]: swc };
// Ignore node_modules unless the innermost package is one of them (they also sit nested, e.g.
// node_modules/@otplib/plugin-crypto-noble/node_modules/@noble/hashes).
const transformIgnorePatterns = [`/node_modules/(?!(${esm})/)(?!.*/node_modules/(${esm})/)`];
const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  setupFiles: ['<rootDir>/test/support/use-worker-db.ts'],
  ...extra,
});
module.exports = {
  // Many suites boot the whole app (engine, Chromium pool, registers) in a hook: seconds on a busy
  // 2-core machine, so jest's 5 s default fails them for load, not for a fault (a global option).
  testTimeout: 60_000,
  // On a 2-core machine jest would run every suite inside its own process (one worker or less means
  // in band), and each suite's app, engine and module registry stays on that one heap: the full run
  // died of heap exhaustion after 48 minutes. A memory limit makes jest use a worker process, which
  // it replaces whenever a finished suite leaves it above the limit.
  workerIdleMemoryLimit: '1536MB',
  // Two workers, each with a database of its own (test/support/global-setup.ts): most suites wait on
  // PostgreSQL, Chromium or an engine more than they compute. TEST_WORKERS=1 runs one after another.
  maxWorkers: Number(process.env.TEST_WORKERS ?? 2),
  transform,
  transformIgnorePatterns,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [project('unit'), project('integration'), project('workflows'), project('e2e')],
};
