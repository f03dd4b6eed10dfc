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
const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  ...extra,
});
module.exports = {
  // Many suites boot the whole app (engine, Chromium pool, registers) in a hook: seconds on a busy
  // 2-core machine, so jest's 5 s default fails them for load, not for a fault (a global option).
  testTimeout: 60_000,
  transform: { '^.+\\.ts$': swc },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    project('unit'),
    project('integration'),
    project('workflows'),
    project('e2e'),
  ],
};
