// Mutation testing of the modules where a wrong answer is a wrong legal outcome or a security hole
// (issue 16). `npm run test:mutation` runs it; it is not part of `npm test` (too slow for every CI
// run). Scores per module and the surviving mutants judged equivalent are in docs/testing.md.
// The tests it runs are the fast ones that cover these modules (no database, no browser), so each
// mutant costs milliseconds. The modules whose strong tests need PostgreSQL (audit chain, tenancy,
// parameters) are in stryker.db.config.mjs (`npm run test:mutation:db`).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  plugins: ['@stryker-mutator/jest-runner'],
  coverageAnalysis: 'perTest',
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Not copied into the sandbox: reports, and local tool folders outside the project.
  ignorePatterns: ['reports', '.tools'],
  thresholds: { high: 95, low: 90, break: null },
  mutate: [
    // working days and legal deadlines
    'src/deadlines/calendar/working-days.ts',
    'src/deadlines/calendar/holiday-calendar.ts',
    'src/deadlines/deadline-math.ts',
    // personal codes, and the one rule for masking them (issue 12 M3)
    'src/persons/personal-code.ts',
    'src/persons/personal-code-policy.ts',
    // fees, residence rules and municipal dates
    'src/modules/residence/residence.rules.ts',
    'src/modules/residence/municipal-dates.ts',
    // the audit chain
    'src/platform/audit/audit-chain.ts',
    // access policy
    'src/platform/auth/case-access.ts',
    // exports: spreadsheet formula neutralisation
    'src/modules/residence/lists/residence-list.export.ts:20-22',
    // the seal verifier behind /verify
    'src/documents/verification/pdf-seal-verifier.ts',
    // delivery retries
    'src/delivery/backoff.ts',
  ],
  jest: {
    projectType: 'custom',
    configFile: 'test/mutation/jest.mutation.config.js',
    enableFindRelatedTests: true,
  },
};
