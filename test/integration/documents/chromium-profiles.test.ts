import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  makeProfileDir,
  PROFILE_PREFIX,
  removeStaleProfiles,
} from '../../../src/documents/pdf/chromium-profiles';

/** A pid that belonged to a process which has exited (and been reaped). */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

/** A long-running stand-in for a browser with `--user-data-dir=<dir>` on its command line. */
const fakeBrowser = (dir: string): ChildProcess =>
  spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', `--user-data-dir=${dir}`], {
    stdio: 'ignore',
  });

describe('removeStaleProfiles', () => {
  let tmp: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'profiles-test-'));
  });
  afterEach(() => {
    for (const c of children.splice(0))
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });

  it('names new profile folders after this process', () => {
    const dir = makeProfileDir(tmp);
    expect(dir.startsWith(join(tmp, `${PROFILE_PREFIX}${process.pid}-`))).toBe(true);
  });

  it('removes folders whose owner is gone and kills a browser still running on one; keeps live owners', async () => {
    const stale = join(tmp, `${PROFILE_PREFIX}${deadPid()}-abc123`);
    const live = join(tmp, `${PROFILE_PREFIX}${process.pid}-def456`);
    const other = join(tmp, 'someone-else-abc123');
    for (const d of [stale, live, other]) mkdirSync(d);
    const orphan = fakeBrowser(stale);
    children.push(orphan);
    const killed = new Promise((r) => orphan.once('exit', (_code, signal) => r(signal)));
    await new Promise((r) => orphan.once('spawn', r));

    expect(removeStaleProfiles(tmp)).toEqual([stale]);
    expect(await killed).toBe('SIGKILL');
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });

  it('removes an unowned folder of an older build only when no process uses it and it is not brand new', async () => {
    const unused = join(tmp, `${PROFILE_PREFIX}Ab12Cd`);
    const used = join(tmp, `${PROFILE_PREFIX}Ef34Gh`);
    const fresh = join(tmp, `${PROFILE_PREFIX}Ij56Kl`);
    for (const d of [unused, used, fresh]) mkdirSync(d);
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const d of [unused, used]) utimesSync(d, hourAgo, hourAgo);
    const browser = fakeBrowser(used);
    children.push(browser);
    await new Promise((r) => browser.once('spawn', r));

    expect(removeStaleProfiles(tmp)).toEqual([unused]);
    expect(existsSync(used)).toBe(true);
    expect(existsSync(fresh)).toBe(true);
    expect(browser.exitCode).toBeNull();
  });
});
