// Mutation testing of the modules whose strong tests need PostgreSQL (issue 16): the audit chain's
// append, walker and verifier, the tenant transaction, and the effective-dated parameters (fees). `npm run test:mutation:db` runs it, then
// drops this run's template database. Every mutant's jest run gets a fresh database cloned from a
// template migrated once per run (test/mutation/db-global-setup.ts). Scores in docs/testing.md.
import base from './stryker.config.mjs';

// Names this run's template database; the Stryker workers inherit it.
process.env.CIVITAS_MUTATION_RUN = String(process.pid);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  timeoutMS: 60_000,
  htmlReporter: { fileName: 'reports/mutation-db/index.html' },
  jsonReporter: { fileName: 'reports/mutation-db/mutation.json' },
  tempDirName: '.stryker-tmp-db',
  mutate: [
    // the audit chain: canonical form, append, walker and verifier
    'src/platform/audit/audit-chain.ts',
    // tenancy: the one tenant transaction
    'src/platform/tenancy/tenant-db.ts',
    // fees and other effective-dated amounts: the version in force, municipal overrides
    'src/parameters/parameters.service.ts',
  ],
  jest: {
    projectType: 'custom',
    configFile: 'test/mutation/jest.mutation-db.config.js',
    enableFindRelatedTests: true,
  },
};
