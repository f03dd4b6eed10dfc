// The jest set-up of `npm run test:mutation:db` (stryker.db.config.mjs): the tests that check the
// audit chain and the tenant transaction against real PostgreSQL, each run with a fresh database
// cloned from a template (test/mutation/db-global-setup.ts). Not matched by `npm test`'s projects.
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  transform: base.transform,
  globalSetup: '<rootDir>/test/mutation/db-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testMatch: [
    '<rootDir>/test/unit/platform/audit-*.test.ts',
    '<rootDir>/test/unit/platform/tenant-db.test.ts',
    '<rootDir>/test/integration/platform/audit.test.ts',
    '<rootDir>/test/integration/platform/tenancy.test.ts',
    '<rootDir>/test/integration/parameters/parameters.test.ts',
  ],
  testTimeout: 60_000,
};
