// Audit log append throughput: how many audited reads per second one app instance can record when
// they all join one municipality's chain (serialised by the chain lock), and when spread over
// several municipalities. Run after `npm run build`:  node bench/audit-append.mjs [N]
// Uses a fresh database of its own (dropped at the end); needs the superuser URL (DATABASE_ADMIN_URL).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const dist = (p) => require(new URL(`../dist/src/${p}`, import.meta.url).pathname);
const { loadConfig } = dist('config/config.js');
const { provisionDatabase, dropDatabase, withUserAndDb } = dist('platform/database/provision.js');
const { runMigrations } = dist('platform/database/migrate.js');
const { dataSourceOptions } = dist('platform/database/data-source-options.js');
const { TenantDb } = dist('platform/tenancy/tenant-db.js');
const { AuditService } = dist('platform/audit/audit.service.js');
const { verifyChain } = dist('platform/audit/audit-chain.js');
const { DataSource } = require('typeorm');

const N = Number(process.argv[2] ?? 2000);
const { DATABASE_ADMIN_URL } = loadConfig();
const name = `civitas_bench_${process.pid}`;
await provisionDatabase(DATABASE_ADMIN_URL, name);
await runMigrations(withUserAndDb(DATABASE_ADMIN_URL, 'civitas_owner', name));
const ds = await new DataSource(
  dataSourceOptions(withUserAndDb(DATABASE_ADMIN_URL, 'civitas_app', name), { extra: { max: 16 } }),
).initialize();
const audit = new AuditService(ds, new TenantDb(ds));
const actor = { accountId: randomUUID(), display: 'Bench', role: 'caseworker' };

const municipalities = [];
for (let i = 0; i < 4; i++) {
  const [r] = await ds.query(
    `INSERT INTO municipalities (code, name, country) VALUES ($1, $1, 'LV') RETURNING id`,
    [`bench-${i}`],
  );
  municipalities.push(r.id);
}
const read = (m) =>
  audit.recordRead({
    municipalityId: m,
    actor,
    personId: randomUUID(),
    subject: { type: 'person', id: 'p' },
    purpose: 'benchmark',
  });

async function run(label, concurrency, pick) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < N) {
        const i = next++;
        await read(pick(i));
      }
    }),
  );
  const ms = performance.now() - t0;
  console.log(
    `${label.padEnd(44)} ${N} appends in ${ms.toFixed(0)} ms = ${((N / ms) * 1000).toFixed(0)}/s`,
  );
}

try {
  await run('1 chain, sequential', 1, () => municipalities[0]);
  await run('1 chain, 16 concurrent', 16, () => municipalities[0]);
  await run('4 chains, 16 concurrent', 16, (i) => municipalities[i % 4]);
  const t0 = performance.now();
  const r = await verifyChain(ds, municipalities[0]);
  console.log(
    `verify 1 chain: ${r.count} entries in ${(performance.now() - t0).toFixed(0)} ms (ok=${r.ok})`,
  );
} finally {
  await ds.destroy();
  await dropDatabase(DATABASE_ADMIN_URL, name);
}
