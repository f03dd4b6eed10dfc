// The jest set-up StrykerJS runs (stryker.config.mjs): the unit tests only (no database, no
// browser), the same transform as jest.config.js. Not matched by `npm test`'s projects.
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
  testTimeout: 20_000,
};
