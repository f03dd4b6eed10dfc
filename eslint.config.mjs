import regexp from 'eslint-plugin-regexp';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import moduleBoundaries from './scripts/eslint-module-boundaries.cjs';

// Backtracking-prone patterns (ReDoS) fail lint (eslint-plugin-regexp): the rules that find
// super-linear backtracking and a few correctness rules; its stylistic rules are not ours to enforce.
const regexpConfig = [
  {
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      'regexp/no-misleading-capturing-group': 'error',
      'regexp/no-dupe-disjunctions': 'error',
      'regexp/no-empty-alternative': 'error',
      'regexp/no-useless-backreference': 'error',
      'regexp/no-invalid-regexp': 'error',
      'regexp/optimal-quantifier-concatenation': 'error',
    },
  },
];

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '.tools/**',
      '.stryker-tmp/**',
      'reports/**',
      'node_modules/**',
      'coverage/**',
      'var/**',
      'test-output/**',
      'src/web/public/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...regexpConfig,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Process code must be deterministic: it is replayed by the engines.
    files: ['workflows/**/*.ts', 'test/fixtures/example-process/workflows/**/*.ts'],
    ignores: ['workflows/temporal.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((m) => [
            { name: m, message: 'workflows/ must not use Node built-ins (determinism).' },
            { name: `node:${m}`, message: 'workflows/ must not use Node built-ins (determinism).' },
          ]),
          patterns: [
            {
              group: [
                '../src/**',
                '../../src/**',
                'typeorm',
                'pg',
                'axios',
                'nodemailer',
                'puppeteer-core',
              ],
              message: 'workflows/ may import only workflows/kit and activity types.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use ctx.now() in process code.' },
        { object: 'Math', property: 'random', message: 'Randomness breaks replay.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Use ctx.now() in process code.',
        },
        {
          selector: "CallExpression[callee.name='setTimeout']",
          message: 'Use ctx.sleepUntil in process code.',
        },
        { selector: "CallExpression[callee.name='fetch']", message: 'I/O belongs in activities.' },
      ],
      'no-restricted-globals': ['error', 'process', 'require', 'setInterval', 'fetch'],
    },
  },
  {
    // Dependency direction: generic parts never import a process (scripts/eslint-module-boundaries.cjs).
    files: ['**/*.ts'],
    plugins: { boundaries: { rules: { 'generic-imports': moduleBoundaries.rule } } },
    rules: { 'boundaries/generic-imports': ['error', { root: import.meta.dirname }] },
  },
  prettier,
);
