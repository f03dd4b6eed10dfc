// Released process versions are immutable: workflows/versions.lock.json holds the SHA-256 of each
// version file (workflows/<key>/v<N>.ts). `node scripts/process-versions.mjs --add` records new
// versions; it never overwrites a recorded hash. test/unit/engine/process-versions.test.ts checks it.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', 'workflows');
const lockPath = join(root, 'versions.lock.json');

export function versionFiles() {
  const out = {};
  for (const key of readdirSync(root)) {
    const dir = join(root, key);
    if (key === 'kit' || !statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir)) {
      const m = /^v(\d+)\.ts$/.exec(f);
      if (m) out[`${key}@v${m[1]}`] = join(dir, f);
    }
  }
  return out;
}

export const hashFile = (file) =>
  createHash('sha256').update(readFileSync(file, 'utf8').replace(/\r\n/g, '\n')).digest('hex');

if (process.argv.includes('--add')) {
  const lock = existsSync(lockPath) ? JSON.parse(readFileSync(lockPath, 'utf8')) : {};
  for (const [id, file] of Object.entries(versionFiles())) {
    if (!lock[id]) {
      lock[id] = hashFile(file);
      console.log(`locked ${id}`);
    }
  }
  const sorted = Object.fromEntries(Object.entries(lock).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(lockPath, `${JSON.stringify(sorted, null, 2)}\n`);
}
