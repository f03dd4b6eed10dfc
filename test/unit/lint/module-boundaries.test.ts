import { join } from 'node:path';
import { Linter, type Rule } from 'eslint';
import tseslint from 'typescript-eslint';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the rule is plain CommonJS, as eslint.config.mjs loads it
const { rule } = require('../../../scripts/eslint-module-boundaries.cjs') as {
  rule: Rule.RuleModule;
};

const ROOT = join(__dirname, '..', '..', '..');
const linter = new Linter({ configType: 'flat' });
const config: Linter.Config[] = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser as Linter.Parser },
    plugins: { boundaries: { rules: { 'generic-imports': rule } } },
    rules: { 'boundaries/generic-imports': ['error', { root: ROOT }] },
  },
];

/** What the rule reports for `code` in a file at `file` (repository-relative). */
const lint = (file: string, code: string): string[] =>
  linter.verify(code, config, { filename: join(ROOT, file) }).map((m) => m.message);

describe('lint: generic parts never import a process', () => {
  it.each([
    [
      'src/cases/x.ts',
      `import { A } from '../modules/residence/residence.service';`,
      'src/modules/',
    ],
    [
      'src/workspace/catalogue/x.ts',
      `export { A } from '../../modules/residence/residence.requests';`,
      'src/modules/',
    ],
    [
      'src/platform/seed/x.ts',
      `const m = import('../../modules/residence/residence.service');`,
      'src/modules/',
    ],
    [
      'src/web/x.ts',
      `import type { A } from 'src/modules/residence/residence.types';`,
      'src/modules/',
    ],
    [
      'src/engine/x.ts',
      `import { R } from '../../activities/reference/registry.port';`,
      'activities/reference/',
    ],
    [
      'src/engine/x.ts',
      `import { W } from '../../workflows/residence-declaration';`,
      'workflows/residence-declaration/',
    ],
    [
      'workflows/kit/x.ts',
      `import type { V } from '../residence-declaration/v1';`,
      'workflows/residence-declaration/',
    ],
    [
      'activities/case/x.ts',
      `import type { R } from '../residence/residence.activities';`,
      'activities/residence/',
    ],
    [
      'activities/delivery/sub/x.ts',
      `type T = typeof import('../../residence/residence.activities');`,
      'activities/residence/',
    ],
  ])('reports %s importing %s', (file, code, target) => {
    const messages = lint(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(`must not import from ${target}`);
  });

  it.each([
    [
      'src/engine/x.ts',
      `import { PROCESSES } from '../../workflows';\nimport { C } from '../../workflows/temporal-contract';\nimport { k } from '../../workflows/kit';`,
    ],
    [
      'src/engine/x.ts',
      `import { createProcessActivities } from '../../activities';\nimport { d } from '../../activities/delivery/x';`,
    ],
    [
      'src/cases/x.ts',
      `import { P } from '../persons/personal-code';\nimport { Injectable } from '@nestjs/common';`,
    ],
    [
      'activities/case/x.ts',
      `import { C } from '../../src/cases/case.service';\nimport { D } from '../documents';`,
    ],
    [
      'workflows/kit/x.ts',
      `import { h } from './human-task';\nimport type { A } from '../../activities/case/case.activities';`,
    ],
  ])('passes %s importing only generic code', (file, code) => {
    expect(lint(file, code)).toEqual([]);
  });

  it('leaves process code and the registration files free to import their own process', () => {
    expect(
      lint(
        'src/modules/residence/x.ts',
        `import { A } from '../../../activities/residence/residence.activities';`,
      ),
    ).toEqual([]);
    expect(
      lint(
        'activities/residence/x.ts',
        `import { S } from '../../src/modules/residence/residence.service';`,
      ),
    ).toEqual([]);
    expect(
      lint(
        'src/app.module.ts',
        `import { ResidenceModule } from './modules/residence/residence.module';`,
      ),
    ).toEqual([]);
    expect(
      lint('activities/index.ts', `import { r } from './residence/residence.activities';`),
    ).toEqual([]);
  });
});
