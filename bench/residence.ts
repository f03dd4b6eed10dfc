/**
 * Residence benchmark. Run: `node -r ./test/support/swc-register.js bench/residence.ts`
 * Creates a scratch database, seeds the register simulators with BENCH_PERSONS (default
 * 1,000,000) synthetic persons, starts the real app (DBOS engine, documents with a test seal) on it
 * and measures:
 *   1. person lookup by personal code through PersonsService.search (takeover + audited read), p50/p95;
 *   2. a filtered list page (50 rows, keyset) over the persons list of the largest territory, p50/p95;
 *   3. a CSV export of ≥100,000 rows through the streaming writer, wall time and RSS (start/peak);
 *   4. automatic declarations (owner declares at own flat: registers checked, residence registered,
 *      certificate rendered in Chromium, sealed and queued for delivery), completed per second.
 * Env: BENCH_PERSONS, BENCH_LOOKUPS (300), BENCH_PAGES (200), BENCH_DECLARATIONS (60), BENCH_CONCURRENCY (6).
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg, availableParallelism } from 'node:os';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { dropDatabase } from '../src/platform/database/provision';
import { seedRegisters } from '../src/integrations/sim/seed';
import { PersonsService } from '../src/persons/persons.service';
import { PersonalCodePolicy } from '../src/persons/personal-code-policy';
import { exportColumns, writeCsv } from '../src/modules/residence/lists/residence-list.export';
import { ResidenceListsService } from '../src/modules/residence/lists/residence-lists.service';
import { ResidenceService } from '../src/modules/residence/residence.service';
import { setRegisterTerritory } from '../src/persons/register-territory';
import { dataSourceOptions } from '../src/platform/database/data-source-options';
import { PROCESS_ENGINE, type ProcessEngine } from '../src/engine/process-engine';
import { createSealFixture, PASSPHRASE } from '../test/integration/documents/support';
import { createTestDatabase } from '../test/support/test-db';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 300);
const PAGES = Number(process.env.BENCH_PAGES ?? 200);
const DECLARATIONS = Number(process.env.BENCH_DECLARATIONS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 6);

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (n: number): string => `${n.toFixed(1)} ms`;
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  console.log(`cores ${availableParallelism()}, load ${load()}`);
  const db = await createTestDatabase('civitas_bench_res');
  const admin = loadConfig().DATABASE_ADMIN_URL;
  try {
    let t = performance.now();
    const seeded = await seedRegisters(db.ownerUrl, { seed: 7, persons: PERSONS });
    console.log(
      `seeded ${PERSONS} persons (${JSON.stringify(seeded.rows)}) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const code = `b${randomBytes(4).toString('hex')}`;
    const seal = await createSealFixture(code, 'Bench pašvaldība');
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: db.appUrl,
      DATABASE_OWNER_URL: db.ownerUrl,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      SEAL_DIR: seal.dir,
      SEAL_PASSPHRASE: PASSPHRASE,
      DELIVERY_POLL_MS: '0',
      ENGINE_EXECUTOR_ID: `bench-${code}`,
    });
    const app = await createApp(config);
    await app.init();
    const ds = app.get(await import('typeorm').then((m) => m.DataSource));
    const [mun] = (await ds.query(
      `INSERT INTO municipalities (code, name, country, registration_number, address) VALUES ($1, 'Bench pašvaldība', 'LV', '90000012345', 'Pils iela 1') RETURNING id`,
      [code],
    )) as [{ id: string }];
    const municipalityId = mun.id;
    const [{ territory }] = (await ds.query(
      `SELECT municipality AS territory FROM sim_addresses GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    )) as [{ territory: string }];
    // The territory is platform configuration: set as the operator's CLI does, on the owner connection.
    const owner = await new (await import('typeorm').then((m) => m.DataSource))(
      dataSourceOptions(db.ownerUrl),
    ).initialize();
    await setRegisterTerritory(owner, code, territory, 'bench');
    await owner.destroy();
    const lists = app.get(ResidenceListsService);
    const viewer = {
      accountId: randomUUID(),
      municipalityId,
      roles: ['caseworker:residence'],
      displayName: 'Bench',
    };

    // 1. Person lookup.
    // Staff may look up their own residents only (issue 11 D7): a sample of the territory's.
    const codes = (
      (await ds.query(
        // A block sample keeps this fast on a million rows; on a small register it may sample nothing.
        `SELECT r.personal_code FROM sim_residences r ${PERSONS >= 100_000 ? 'TABLESAMPLE SYSTEM (5)' : ''} JOIN sim_addresses a ON a.code = r.address_code WHERE r.status = 'active' AND a.municipality = $2 LIMIT $1`,
        [LOOKUPS, territory],
      )) as { personal_code: string }[]
    ).map((r) => r.personal_code);
    if (codes.length === 0) throw new Error(`no active residents of ${territory} sampled`);
    const persons = app.get(PersonsService);
    const lookups: number[] = [];
    for (const c of codes) {
      t = performance.now();
      const r = await persons.search(viewer, { q: c, purpose: 'register-quality' });
      lookups.push(performance.now() - t);
      if (r.items.length !== 1) throw new Error(`lookup of ${c} found ${r.items.length}`);
    }
    console.log(
      `person lookup (${lookups.length}, load ${load()}): p50 ${ms(pct(lookups, 50))}, p95 ${ms(pct(lookups, 95))}`,
    );

    // 2. Filtered list pages: a mix of filters, first pages and deeper keyset pages.
    const lv = {
      accountId: viewer.accountId,
      municipalityId,
      display: 'Bench',
      codes: PersonalCodePolicy.for(viewer),
    };
    const filters = [
      { ageMin: 18, ageMax: 30 },
      { street: 'Brīvības' },
      { declaredFrom: '2015-01-01', declaredTo: '2018-12-31' },
      { childrenMin: 2 },
      { address: 'iela 1' },
      {},
    ];
    const pages: number[] = [];
    for (let i = 0; i < PAGES; i++) {
      const f = filters[i % filters.length];
      t = performance.now();
      const first = await lists.page(lv, 'persons', f, null);
      pages.push(performance.now() - t);
      if (first.next && i % 3 === 0) {
        t = performance.now();
        await lists.page(lv, 'persons', f, first.next);
        pages.push(performance.now() - t);
      }
    }
    console.log(
      `filtered list page of 50 (${pages.length}, load ${load()}): p50 ${ms(pct(pages, 50))}, p95 ${ms(pct(pages, 95))}`,
    );
    for (const f of filters) {
      const s: number[] = [];
      for (let i = 0; i < 10; i++) {
        t = performance.now();
        await lists.page(lv, 'persons', f, null);
        s.push(performance.now() - t);
      }
      console.log(
        `  filter ${JSON.stringify(f)}: p50 ${ms(pct(s, 50))}, max ${ms(Math.max(...s))}`,
      );
    }

    // 3. CSV export of >= 100,000 rows, constant memory.
    let bytes = 0;
    const sink = new Writable({
      write: (chunk: Buffer, _e, cb) => ((bytes += chunk.length), cb()),
    });
    global.gc?.();
    const rssStart = process.memoryUsage().rss;
    let rssPeak = rssStart;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    let rows = 0;
    const counted = async function* (
      src: AsyncGenerator<
        import('../src/modules/residence/lists/residence-list.queries').ListRow[]
      >,
    ) {
      for await (const b of src) {
        rows += b.length;
        yield b;
      }
    };
    t = performance.now();
    await writeCsv(
      sink,
      exportColumns('persons'),
      ['code', 'given', 'family', 'birth', 'address', 'from', 'status', 'children'],
      counted(lists.stream(lv, 'persons', { ageMin: 18, ageMax: 45 })),
    );
    const exportMs = performance.now() - t;
    clearInterval(sampler);
    console.log(
      `CSV export: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB in ${(exportMs / 1000).toFixed(2)} s (${Math.round(rows / (exportMs / 1000))} rows/s); RSS start ${(rssStart / 1e6).toFixed(0)} MB, peak ${(rssPeak / 1e6).toFixed(0)} MB (load ${load()})`,
    );

    // 4. Automatic declarations: owners of a single flat declare there.
    const owners = (await ds.query(
      `SELECT s.owner_code, p.address_code FROM sim_property_shares s JOIN sim_properties p ON p.cadastral_number = s.cadastral_number
        JOIN sim_addresses a ON a.code = p.address_code JOIN sim_persons ps ON ps.personal_code = s.owner_code
       WHERE a.kind <> 'building' AND ps.birth_date < '2000-01-01' AND ps.deceased_on IS NULL LIMIT $1`,
      [DECLARATIONS],
    )) as { owner_code: string; address_code: string }[];
    const residence = app.get(ResidenceService);
    const engine = app.get<symbol, ProcessEngine>(PROCESS_ENGINE);
    const durations: number[] = [];
    let next = 0;
    t = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < owners.length) {
          const o = owners[next++];
          const t0 = performance.now();
          const r = await residence.submitDeclaration({
            municipalityId,
            submissionKey: randomUUID(),
            channel: 'online',
            applicantCode: o.owner_code,
            personCodes: [o.owner_code],
            addressCode: o.address_code,
            basis: 'ownership',
            enteredBy: 'bench',
          });
          for (;;) {
            const d = await engine.describe(r.caseId);
            if (d && d.status !== 'running') {
              if (
                d.status !== 'completed' ||
                (d.result as { automatic?: boolean }).automatic !== true
              )
                throw new Error(`declaration ${r.caseId}: ${JSON.stringify(d)}`);
              break;
            }
            await new Promise((res) => setTimeout(res, 20));
          }
          durations.push(performance.now() - t0);
        }
      }),
    );
    const total = performance.now() - t;
    console.log(
      `automatic declarations: ${owners.length} in ${(total / 1000).toFixed(1)} s = ${(owners.length / (total / 1000)).toFixed(2)}/s with ${CONCURRENCY} in flight; each p50 ${ms(pct(durations, 50))}, p95 ${ms(pct(durations, 95))} (load ${load()})`,
    );

    await app.close();
    seal.cleanup();
  } finally {
    await dropDatabase(admin, db.name).catch((e: unknown) => console.error('drop failed', e));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
