import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { PROFILE_PREFIX } from '../../../src/documents/pdf/chromium-profiles';
import { AccountsService } from '../../../src/platform/accounts/accounts.service';
import { PasswordHasher } from '../../../src/platform/accounts/password-hasher';
import { buildApp, ROOT, startBuiltApp, stopChild, type RunningApp } from '../../support/built-app';
import { Browser, signIn } from '../auth/auth-support';
import { appDataSource } from '../platform/db';
import { createMunicipality } from '../../factories/municipalities';
import { uniqueName } from '../../factories/accounts';

/** Live processes (not zombies) with an argument starting with `prefix`. */
function processesWithArg(prefix: string): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${d}/stat`, 'utf8'))) continue;
      if (
        readFileSync(`/proc/${d}/cmdline`, 'utf8')
          .split('\0')
          .some((a) => a.startsWith(prefix))
      )
        pids.push(Number(d));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Polls `cond` until it holds or `ms` pass; returns whether it held. */
async function eventually(cond: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

jest.setTimeout(180_000);

let outDir: string;
let tmp: string;
let ds: DataSource;
let admin: { username: string; password: string };
const apps: RunningApp[] = [];

beforeAll(async () => {
  outDir = buildApp('pdf-crash');
  tmp = mkdtempSync(join(ROOT, 'test-output', 'pdf-crash-tmp-'));
  ds = await appDataSource(2);
  const m = await createMunicipality(ds);
  const accounts = new AccountsService(ds, new PasswordHasher());
  admin = { username: uniqueName('admin'), password: 'correct horse battery' };
  const acc = await accounts.createStaff({
    username: admin.username,
    displayName: 'PDF admin',
    password: admin.password,
  });
  await accounts.grant(acc.id, m.id, 'administrator');
});

afterAll(async () => {
  for (const a of apps) await stopChild(a.child);
  await ds?.destroy();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('PDF printer after the app is killed (D28)', () => {
  it('takes its Chromium down with a SIGKILLed app, and a restart removes the profile folder it left', async () => {
    // A folder whose owner (this test process) is alive must survive the restart's clean-up.
    const livePeer = join(tmp, `${PROFILE_PREFIX}${process.pid}-peer01`);
    mkdirSync(livePeer);

    const first = await startBuiltApp(outDir, { TMPDIR: tmp });
    apps.push(first);
    const b = new Browser(first.base);
    await b.follow(await signIn(b, admin.username, admin.password));
    const pdf = await b.get(
      '/admin/templates/residence-declaration/residence-certificate/preview?format=pdf&lang=lv',
      {
        accept: 'application/pdf',
      },
    );
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const ours = `--user-data-dir=${join(tmp, `${PROFILE_PREFIX}${first.child.pid}-`)}`;
    const browsers = processesWithArg(ours);
    expect(browsers.length).toBeGreaterThan(0);
    const profiles = readdirSync(tmp).filter((n) =>
      n.startsWith(`${PROFILE_PREFIX}${first.child.pid}-`),
    );
    expect(profiles).toHaveLength(1);
    const profile = join(tmp, profiles[0]);

    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;

    const browserGone = await eventually(() => processesWithArg(ours).length === 0, 15_000);
    const survivors = processesWithArg(ours);
    // Leave no browser behind for the rest of the run, whatever the outcome.
    for (const pid of survivors) process.kill(pid, 'SIGKILL');
    expect(browserGone).toBe(true);
    expect(existsSync(profile)).toBe(true);

    const second = await startBuiltApp(outDir, { TMPDIR: tmp });
    apps.push(second);
    expect(existsSync(profile)).toBe(false);
    expect(existsSync(livePeer)).toBe(true);
    await stopChild(second.child);
  });
});
