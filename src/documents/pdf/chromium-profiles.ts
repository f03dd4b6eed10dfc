import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every Chromium profile folder of ours starts with this, under the temp dir. */
export const PROFILE_PREFIX = 'civitas-chromium-';

/** `civitas-chromium-<owner pid>-<random>`: the owner is the app process that launched the browser. */
const OWNED = new RegExp(`^${PROFILE_PREFIX}(\\d+)-[A-Za-z0-9]{6}$`);
/** Folders of older builds carry no owner; they count as stale once no process uses them. */
const UNOWNED = new RegExp(`^${PROFILE_PREFIX}[A-Za-z0-9]{6}$`);
/** An unowned folder younger than this may belong to an older build that is launching right now. */
const UNOWNED_GRACE_MS = 60_000;

/** A fresh profile folder named after this process. */
export const makeProfileDir = (tmp: string): string =>
  mkdtempSync(join(tmp, `${PROFILE_PREFIX}${process.pid}-`));

/**
 * Removes the profile folders that crashed app processes left under `tmp`, and kills any
 * Chromium still running on one of them. A folder is stale when its owner process is gone (or,
 * for an unowned folder, when no live process has it on its command line). Folders of live
 * owners, including other app processes sharing the temp dir, are left alone. Returns what was
 * removed.
 */
export function removeStaleProfiles(tmp: string): string[] {
  let names: string[];
  try {
    names = readdirSync(tmp).filter((n) => n.startsWith(PROFILE_PREFIX));
  } catch {
    return [];
  }
  if (names.length === 0) return [];
  const procs = processCommandLines();
  const removed: string[] = [];
  for (const name of names) {
    const dir = join(tmp, name);
    const users = procs.filter((p) => p.args.includes(`--user-data-dir=${dir}`));
    const owned = OWNED.exec(name);
    if (owned) {
      const owner = Number(owned[1]);
      if (owner === process.pid || isAlive(owner)) continue;
      for (const p of users) kill(p.pid);
    } else if (UNOWNED.test(name)) {
      if (users.length > 0 || ageMs(dir) < UNOWNED_GRACE_MS) continue;
    } else {
      continue;
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    removed.push(dir);
  }
  return removed;
}

interface Proc {
  pid: number;
  args: string[];
}

function processCommandLines(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      out.push({ pid: Number(d), args: readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0') });
    } catch {
      // the process exited while we looked
    }
  }
  return out;
}

/** A live process (not a zombie) with this pid. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/s.test(stat);
  } catch {
    return false;
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
