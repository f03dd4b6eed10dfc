import 'reflect-metadata';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config/config';
import { auditVerifyCommand } from './platform/audit/audit-verify.command';
import { seedRegisters } from './integrations/sim/seed';
import { ensureDevSeal } from './documents/signing/dev-seal';
import { generateMigration } from './platform/database/migration-generator';
import { runMigrations } from './platform/database/migrate';
import { dropDatabase, provisionDatabase, withUserAndDb } from './platform/database/provision';
import { APP_ROLE, ENGINE_ROLE, OWNER_ROLE } from './platform/database/roles';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './platform/database/data-source-options';
import { fromRoot } from './platform/paths';
import {
  DEMO_TERRITORIES,
  setRegisterTerritory,
  TerritoryError,
} from './persons/register-territory';

type Command = (args: string[]) => Promise<void>;

const opt = (args: string[], name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

function wholeNumber(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new Error(`${name}: expected a whole number from 0 to ${max}`);
  return n;
}

const dbName = (url: string): string => new URL(url).pathname.slice(1);

async function withOwner(fn: (ds: DataSource) => Promise<void>): Promise<void> {
  const ds = new DataSource(dataSourceOptions(loadConfig().DATABASE_OWNER_URL));
  await ds.initialize();
  try {
    await fn(ds);
  } finally {
    await ds.destroy();
  }
}

const commands: Record<string, Command> = {
  /** Walks the audit hash chains (all, or one municipality's); exits 1 naming the first broken entry. */
  async 'audit:verify'(args) {
    process.exitCode = await auditVerifyCommand(args, loadConfig(), (line) => console.log(line));
  },
  /**
   * Creates the roles (with the passwords their URLs carry) and the database if missing, then
   * migrates as the owner: the schema and DBOS's system schema, with the engine role's grants.
   */
  async 'db:setup'() {
    const c = loadConfig();
    const password = (url: string): string => decodeURIComponent(new URL(url).password);
    await provisionDatabase(c.DATABASE_ADMIN_URL, dbName(c.DATABASE_URL), {
      [OWNER_ROLE]: password(c.DATABASE_OWNER_URL),
      [APP_ROLE]: password(c.DATABASE_URL),
      [ENGINE_ROLE]: password(c.DATABASE_ENGINE_URL),
    });
    const done = await runMigrations(c.DATABASE_OWNER_URL);
    console.log(`database ${dbName(c.DATABASE_URL)} ready; ${done.length} migration(s) applied`);
  },
  /**
   * The demo world: municipalities, accounts, e-seals, register simulators with the dev-IdP
   * residents, and cases in every state for both demo municipalities (idempotent).
   * Usage: seed:demo [--today YYYY-MM-DD] [--persons N] [--seed S].
   */
  async 'seed:demo'(args) {
    // Demo accounts share one published password and the dev IdP signs in anyone: never on a real installation.
    const config = loadConfig();
    if (config.NODE_ENV === 'production' && !config.DEMO_MODE)
      throw new Error(
        'seed:demo refuses to run in production: demo accounts have a published password. Set DEMO_MODE=true only for a demonstration installation.',
      );
    const { seedDemo } = await import('./platform/seed/demo-world');
    const today = opt(args, 'today');
    if (today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(today))
      throw new Error('--today: expected a date YYYY-MM-DD');
    const persons = opt(args, 'persons');
    const seed = opt(args, 'seed');
    const r = await seedDemo(config, {
      today: today ? new Date(`${today}T12:00:00Z`) : undefined,
      persons: persons === undefined ? undefined : wholeNumber('--persons', persons, 1_000_000),
      seed: seed === undefined ? undefined : wholeNumber('--seed', seed, 2_147_483_647),
      log: (line) => console.log(line),
    });
    for (const [code, numbers] of Object.entries(r.opened))
      console.log(
        `${code}: ${numbers.length} case(s) opened${numbers.length ? `: ${numbers.join(', ')}` : ' (all were there)'}`,
      );
    console.log(`counts: ${JSON.stringify(r.counts)}`);
    await commands['territory:demo']([]);
    console.log(`seed:demo done in ${(r.ms / 1000).toFixed(1)} s`);
  },
  /**
   * Platform configuration: which address-register municipality a municipality's lists and person
   * look-ups cover (municipal administrators cannot change it). Usage: territory:set <code> <name>.
   */
  async 'territory:set'([code, ...name]) {
    if (!code || name.length === 0)
      throw new Error(
        'usage: territory:set <municipality code> <address register municipality, e.g. "Tukuma novads">',
      );
    await withOwner(async (ds) => {
      const r = await setRegisterTerritory(ds, code, name.join(' '), userInfo().username);
      console.log(
        `territory of ${code}: ${name.join(' ')}${r.previous && r.previous !== name.join(' ') ? ` (was ${r.previous})` : ''}`,
      );
    });
  },
  /**
   * A staff member lost both the authenticator and the recovery codes: the operator removes the
   * second factor and ends the account's sessions; the next administration page asks to enrol
   * again. Usage: totp:reset <username>.
   */
  async 'totp:reset'([username]) {
    if (!username) throw new Error('usage: totp:reset <username>');
    await withOwner(async (ds) => {
      const [account] = (await ds.query(`SELECT id FROM accounts WHERE username = $1`, [
        username.trim().toLowerCase(),
      ])) as { id: string }[];
      if (!account) throw new Error(`no account with username ${username}`);
      await ds.transaction(async (em) => {
        await em.query(`DELETE FROM staff_totp WHERE account_id = $1`, [account.id]);
        await em.query(`DELETE FROM http_sessions WHERE account_id = $1`, [account.id]);
      });
      console.log(`second factor of ${username} removed; its sessions ended`);
    });
  },
  /** The demo municipalities' territories (part of seed:demo). */
  async 'territory:demo'() {
    await withOwner(async (ds) => {
      for (const [code, name] of Object.entries(DEMO_TERRITORIES)) {
        try {
          await setRegisterTerritory(ds, code, name, 'seed:demo');
          console.log(`territory of ${code}: ${name}`);
        } catch (e) {
          if (!(e instanceof TerritoryError)) throw e;
          console.log(`territory of ${code} not set: ${e.message}`);
        }
      }
    });
  },
  /** Kept for old scripts: the demo cases are part of seed:demo now. */
  async 'seed:workspace-demo'() {
    await commands['seed:demo']([]);
  },
  async migrate() {
    const done = await runMigrations(loadConfig().DATABASE_OWNER_URL);
    console.log(done.length ? `applied: ${done.join(', ')}` : 'no pending migrations');
  },
  /** Generates a migration against a scratch database migrated to the current state. */
  async 'migration:generate'([name]) {
    if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name))
      throw new Error('usage: migration:generate <PascalCaseName>');
    const c = loadConfig();
    const scratch = `civitas_gen_${process.pid}`;
    await provisionDatabase(c.DATABASE_ADMIN_URL, scratch);
    try {
      const url = withUserAndDb(c.DATABASE_ADMIN_URL, OWNER_ROLE, scratch);
      await runMigrations(url);
      const dir = join(__dirname, '..', '..', 'src', 'platform', 'database', 'migrations');
      const file = await generateMigration(url, name, dir);
      console.log(file ? `wrote ${file}` : 'no changes: entities and migrations agree');
    } finally {
      await dropDatabase(c.DATABASE_ADMIN_URL, scratch);
    }
  },
  /** Loads the register simulators' synthetic population: sim:seed [--persons N] [--seed S] [--force]. */
  async 'sim:seed'(args) {
    const c = loadConfig();
    const persons = wholeNumber(
      '--persons',
      opt(args, 'persons') ?? String(c.SIMULATOR_PERSONS),
      1_000_000,
    );
    const seed = wholeNumber(
      '--seed',
      opt(args, 'seed') ?? String(c.SIMULATOR_SEED),
      2_147_483_647,
    );
    const report = await seedRegisters(c.DATABASE_OWNER_URL, {
      persons,
      seed,
      force: args.includes('--force'),
      log: (m) => console.log(m),
    });
    console.log(
      report.skipped
        ? `simulators already hold seed ${seed} with ${persons} persons (use --force to reload)`
        : `seeded ${report.persons} persons (seed ${seed}) in ${(report.ms / 1000).toFixed(1)} s: ${JSON.stringify(report.rows)}`,
    );
  },
  /**
   * Development only: a test CA and an e-seal for a municipality in SEAL_DIR (default var/seal,
   * gitignored). Idempotent: keeps a valid existing seal. Usage: seal:dev [code] [name].
   */
  async 'seal:dev'([code = 'demo', name = 'Demo novads']) {
    const c = loadConfig();
    if (c.NODE_ENV === 'production')
      throw new Error('seal:dev makes a development CA; it refuses to run in production');
    const dir = c.SEAL_DIR.startsWith('/') ? c.SEAL_DIR : fromRoot(c.SEAL_DIR);
    const r = ensureDevSeal({
      dir,
      municipalityCode: code,
      municipalityName: name,
      passphrase: c.SEAL_PASSPHRASE,
    });
    console.log(
      `${r.created.seal ? 'created' : 'kept existing'} seal ${r.sealPath}; ` +
        `${r.created.ca ? 'created' : 'kept existing'} development CA ${r.caCertPath} (trust it in your PDF reader to see a valid seal)`,
    );
  },
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const cmd = name ? commands[name] : undefined;
  if (!cmd) {
    console.error(`usage: civitas <${Object.keys(commands).join('|')}> [args]`);
    process.exit(2);
  }
  await cmd(args);
  // A command is one-shot: exit once it is done, even if a client library (the e-address adapter
  // after seed:demo's deliveries) keeps the event loop alive; output is flushed first.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
