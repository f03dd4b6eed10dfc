import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROCESSES } from '../../../workflows';

const root = join(__dirname, '..', '..', '..', 'workflows');
const lock = JSON.parse(readFileSync(join(root, 'versions.lock.json'), 'utf8')) as Record<
  string,
  string
>;
const hash = (file: string): string =>
  createHash('sha256').update(readFileSync(file, 'utf8').replace(/\r\n/g, '\n')).digest('hex');

describe('released process versions', () => {
  it.each(PROCESSES.map((p) => [p.id, p.key, p.version] as const))(
    '%s lives in workflows/<key>/v<N>.ts and is unchanged since it was locked',
    (id, key, version) => {
      const file = join(root, key, `v${version}.ts`);
      expect(lock[id]).toBeDefined(); // new version: run `node scripts/process-versions.mjs --add`
      // A changed hash means a released version was edited: put the change in a new version file.
      expect(hash(file)).toBe(lock[id]);
    },
  );
});
