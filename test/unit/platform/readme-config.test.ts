import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../../../src/config/config.schema';

describe('README configuration reference', () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

  it.each(Object.keys(configSchema.shape))('documents %s', (name) => {
    expect(readme).toContain(`\`${name}\``);
  });

  it('starts with exactly the two commands for a fresh machine', () => {
    const block = readme.split('```')[1];
    const commands = block.split('\n').filter((l) => l.trim() && !l.startsWith('sh'));
    expect(commands.map((c) => c.split('#')[0].trim())).toEqual(['bash scripts/up.sh', 'npm test']);
  });
});
