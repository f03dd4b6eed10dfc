import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';

/**
 * How to start a worker thread on `<dir>/<base>`: the compiled `.js` in dist, or, when the app runs
 * from its TypeScript sources (the test suites), the `.ts` through the swc require hook the tests
 * already use for child processes.
 */
export function workerScript(
  dir: string,
  base: string,
  callerFile: string,
): { file: string; execArgv: string[] } {
  const ext = extname(callerFile);
  const file = join(dir, `${base}${ext}`);
  if (ext !== '.ts') return { file, execArgv: [] };
  const hook = join(__dirname, '..', '..', '..', 'test', 'support', 'swc-register.js');
  if (!existsSync(hook))
    throw new Error(`cannot start ${file}: no TypeScript hook at ${hook} (run the built app)`);
  return { file, execArgv: ['-r', hook] };
}
