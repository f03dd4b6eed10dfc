import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

/** Files under `dir` whose names end with `suffix` plus this module's own extension (.ts or .js). */
export function discoverFiles(dir: string, suffix: string): string[] {
  const ext = extname(__filename);
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(`${suffix}${ext}`) && !name.endsWith(`.d.ts`)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Requires each file and returns every exported class (constructor function). */
export function loadClasses(files: string[]): Function[] {
  const classes: Function[] = [];
  for (const f of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(f) as Record<string, unknown>;
    for (const v of Object.values(mod)) if (typeof v === 'function') classes.push(v);
  }
  return classes;
}
