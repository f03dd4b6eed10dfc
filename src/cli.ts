import 'reflect-metadata';
import { join } from 'node:path';
import { loadConfig } from './config/config';
import { ensureDevSeal } from './documents/signing/dev-seal';
import { generateMigration } from './platform/database/migration-generator';
import { runMigrations } from './platform/database/migrate';
import { dropDatabase, provisionDatabase, withUserAndDb } from './platform/database/provision';
import { OWNER_ROLE } from './platform/database/roles';
import { fromRoot } from './platform/paths';

type Command = (args: string[]) => Promise<void>;

const dbName = (url: string): string => new URL(url).pathname.slice(1);

const commands: Record<string, Command> = {
  /** Creates roles and the database if missing, then migrates. */
  async 'db:setup'() {
    const c = loadConfig();
    await provisionDatabase(c.DATABASE_ADMIN_URL, dbName(c.DATABASE_URL));
    const done = await runMigrations(c.DATABASE_OWNER_URL);
    console.log(`database ${dbName(c.DATABASE_URL)} ready; ${done.length} migration(s) applied`);
  },
  async migrate() {
    const done = await runMigrations(loadConfig().DATABASE_OWNER_URL);
    console.log(done.length ? `applied: ${done.join(', ')}` : 'no pending migrations');
  },
  /** Generates a migration against a scratch database migrated to the current state. */
  async 'migration:generate'([name]) {
    if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error('usage: migration:generate <PascalCaseName>');
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
  /**
   * Development only: a test CA and an e-seal for a municipality in SEAL_DIR (default var/seal,
   * gitignored). Idempotent: keeps a valid existing seal. Usage: seal:dev [code] [name].
   */
  async 'seal:dev'([code = 'demo', name = 'Demo novads']) {
    const c = loadConfig();
    if (c.NODE_ENV === 'production') throw new Error('seal:dev makes a development CA; it refuses to run in production');
    const dir = c.SEAL_DIR.startsWith('/') ? c.SEAL_DIR : fromRoot(c.SEAL_DIR);
    const r = ensureDevSeal({ dir, municipalityCode: code, municipalityName: name, passphrase: c.SEAL_PASSPHRASE });
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
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
