// Drops the template databases of `npm run test:mutation:db` (and any mutant database a killed run
// left behind) whose Stryker run is no longer alive. Runs after Stryker in the npm script.
const { Client } = require('pg');

const PATTERN = /^civitas_(?:mutation_template|mutant)_([0-9]+)(?:_[0-9a-f]+)?$/;
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

async function main() {
  const c = new Client({
    connectionString:
      process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await c.connect();
  try {
    const { rows } = await c.query(
      `SELECT datname FROM pg_database WHERE datname LIKE 'civitas\\_muta%'`,
    );
    for (const { datname } of rows) {
      const m = PATTERN.exec(datname);
      if (m && !alive(Number(m[1])))
        await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await c.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
