import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${start}`);
    dir = up;
  }
  return dir;
}

/** The repository root, whether running from src/ (tests) or dist/ (built app). */
export const PROJECT_ROOT = findRoot(resolve(__dirname));
export const fromRoot = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
