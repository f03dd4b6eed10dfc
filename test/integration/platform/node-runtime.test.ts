import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const major = (version: string): number => Number(version.replace(/^v/, '').split('.')[0]);

describe('Node runtime', () => {
  it('runs the test suite on Node 24 or newer (scripts/test.sh puts it first on PATH)', () => {
    expect(major(process.versions.node)).toBeGreaterThanOrEqual(24);
  });

  it('gives a shell with only the system PATH Node 24 from scripts/node-env.sh, npm included', () => {
    const out = execFileSync(
      'bash',
      [
        '-c',
        'set -euo pipefail; source scripts/node-env.sh; node --version; npm exec -- node --version',
      ],
      {
        cwd: root,
        env: { HOME: process.env.HOME ?? '/root', PATH: '/usr/local/bin:/usr/bin:/bin' },
        encoding: 'utf8',
      },
    )
      .trim()
      .split('\n');
    expect(out).toHaveLength(2);
    for (const v of out) expect(major(v)).toBeGreaterThanOrEqual(24);
  });

  it('declares Node 24 in package.json engines and the Dockerfile images', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe('>=24');
    const froms = readFileSync(join(root, 'Dockerfile'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThan(0);
    for (const f of froms) expect(f).toMatch(/^FROM node:24-/);
  });
});
