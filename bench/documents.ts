/**
 * Documents benchmark: one-page residence certificates rendered, printed (Chromium), sealed (PAdES)
 * and stored per second; a 10-page decision; RSS over 2,000 issues.
 *
 *   npx tsc -p tsconfig.json --noEmit false --outDir dist/bench-build && node dist/bench-build/bench/documents.js
 *
 * Env: BENCH_DOCS (throughput sample per level, default 300), BENCH_CONCURRENCY (in-flight issues for the
 * memory run, default PDF_POOL_SIZE; throughput is measured at 1, POOL and 2 × POOL), BENCH_MEMORY_DOCS (default 2000), PDF_POOL_SIZE (default 2).
 * Uses its own fresh database (dropped afterwards) and a temporary seal.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { DocumentService, type IssueDocumentInput } from '../src/documents/document.service';
import { PuppeteerPdfPrinter } from '../src/documents/pdf/puppeteer-pdf-printer';
import { ensureDevSeal } from '../src/documents/signing/dev-seal';
import { PadesSigner } from '../src/documents/signing/pades-signer';
import { SealStore } from '../src/documents/signing/seal-store';
import { DocumentRenderer } from '../src/documents/templates/document-renderer';
import { TEMPLATES } from '../src/documents/templates/template-registry';
import { RESIDENCE_TEMPLATES } from '../src/modules/residence/residence.templates';
import { residenceProcess } from '../src/modules/residence/residence.process';
import { ProcessRegistry } from '../src/processes/process-registry';
import { dataSourceOptions } from '../src/platform/database/data-source-options';
import { TenantDb } from '../src/platform/tenancy/tenant-db';
import { createTestDatabase } from '../test/support/test-db';

const env = loadConfig();
const POOL = env.PDF_POOL_SIZE;
const DOCS = Number(process.env.BENCH_DOCS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? POOL);
const MEMORY_DOCS = Number(process.env.BENCH_MEMORY_DOCS ?? 2000);
const PASSPHRASE = 'bench-passphrase';

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (n: number): string => `${n.toFixed(0)} ms`;
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

function rssKb(pid: number, field = 'Rss'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(
      readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'),
    );
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Sum of PSS (shared pages split between sharers) over Chromium's processes, found by profile folder. */
function chromiumRssKb(userDataDir: string): number {
  let total = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(userDataDir))
        total += rssKb(Number(d), 'Pss');
    } catch {
      // process ended meanwhile
    }
  }
  return total;
}

async function runPool<T>(
  n: number,
  concurrency: number,
  fn: (i: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('civitas_bench');
  const sealDir = mkdtempSync(join(tmpdir(), 'civitas-bench-seal-'));
  const ds = new DataSource(dataSourceOptions(db.appUrl, { extra: { max: 20 } }));
  const printer = new PuppeteerPdfPrinter({
    executablePath: env.CHROMIUM_PATH,
    poolSize: POOL,
    renderTimeoutMs: env.PDF_RENDER_TIMEOUT_MS,
  });
  try {
    await ds.initialize();
    const code = `bench${randomBytes(3).toString('hex')}`;
    const [{ id: municipalityId }] = (await ds.query(
      `INSERT INTO municipalities (code, name, country, registration_number, address) VALUES ($1, 'Tukuma novada pašvaldība', 'LV', '90000050138', 'Talsu iela 4, Tukums') RETURNING id`,
      [code],
    )) as Array<{ id: string }>;
    ensureDevSeal({
      dir: sealDir,
      municipalityCode: code,
      municipalityName: 'Tukuma novada pašvaldība',
      passphrase: PASSPHRASE,
    });
    const renderer = new DocumentRenderer(
      undefined,
      undefined,
      ProcessRegistry.of([residenceProcess]).templates(),
    );
    const signer = new PadesSigner(new SealStore(sealDir, PASSPHRASE));
    // The bench measures issuing alone: its documents belong to no case, so the timeline records nothing.
    const noTimeline = { record: async () => undefined };
    const service = new DocumentService(
      { ...env, PUBLIC_URL: 'https://civitas.example' },
      ds,
      new TenantDb(ds),
      renderer,
      printer,
      signer,
      noTimeline,
    );
    const certificate = (caseId: string): IssueDocumentInput => ({
      municipalityId,
      caseId,
      stepKey: 'certificate',
      templateKey: 'residence-declaration/residence-certificate',
      language: 'lv',
      data: RESIDENCE_TEMPLATES['residence-declaration/residence-certificate'].sample,
    });
    const timed = async (caseId: string): Promise<number> => {
      const t = performance.now();
      await service.issue(certificate(caseId));
      return performance.now() - t;
    };

    console.log(
      `Documents benchmark: PDF_POOL_SIZE=${POOL}, in-flight issues=${CONCURRENCY}, cores=${cpus().length}`,
    );
    await runPool(10, CONCURRENCY, (i) => timed(`warm-${i}`));

    // Where the time goes, one certificate at a time.
    const stages = {
      render: [] as number[],
      print: [] as number[],
      seal: [] as number[],
      issue: [] as number[],
    };
    for (let i = 0; i < 30; i++) {
      let t = performance.now();
      const r = await renderer.render(
        'residence-declaration/residence-certificate',
        'lv',
        {
          municipality: {
            name: 'Tukuma novada pašvaldība',
            registrationNumber: '90000050138',
            address: 'Talsu iela 4',
          },
          registrationNumber: `S-${i}`,
          issuedAt: new Date(),
          timeZone: 'Europe/Riga',
          verification: { url: 'https://civitas.example/verify/X', code: 'X' },
        },
        RESIDENCE_TEMPLATES['residence-declaration/residence-certificate'].sample,
      );
      stages.render.push(performance.now() - t);
      t = performance.now();
      const pdf = await printer.print({ html: r.html, footerHtml: r.footerHtml });
      stages.print.push(performance.now() - t);
      t = performance.now();
      await signer.seal(pdf, {
        municipalityCode: code,
        municipalityName: 'T',
        location: 'T',
        reason: 'bench',
        signingTime: new Date(),
      });
      stages.seal.push(performance.now() - t);
      stages.issue.push(await timed(`seq-${i}`));
    }
    console.log(
      `sequential, median: template ${ms(pct(stages.render, 50))}, Chromium print ${ms(pct(stages.print, 50))}, ` +
        `seal ${ms(pct(stages.seal, 50))}, whole issue (incl. store) ${ms(pct(stages.issue, 50))}`,
    );

    // Throughput and latency at several levels of in-flight issues.
    for (const inFlight of [...new Set([1, POOL, POOL * 2])]) {
      const t0 = performance.now();
      const lat = await runPool(DOCS, inFlight, (i) => timed(`tp-${inFlight}-${i}`));
      const secs = (performance.now() - t0) / 1000;
      console.log(
        `one-page certificates, ${inFlight} in flight: ${DOCS} in ${secs.toFixed(1)} s = ${(DOCS / secs).toFixed(1)}/s; ` +
          `latency p50 ${ms(pct(lat, 50))}, p95 ${ms(pct(lat, 95))}, p99 ${ms(pct(lat, 99))}, max ${ms(Math.max(...lat))}`,
      );
    }

    // A 10-page decision.
    const para =
      'Pašvaldība, izvērtējot iesniegtos dokumentus un Iedzīvotāju reģistra ziņas, konstatēja, ka ' +
      'personai nav tiesiska pamata dzīvesvietas deklarēšanai norādītajā adresē, jo īpašnieks ir atsaucis piekrišanu. ';
    const long = {
      ...TEMPLATES['generic/decision'].sample,
      facts: Array.from({ length: 46 }, () => para.repeat(4)),
    };
    const tenPage: number[] = [];
    let pages = 0;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const d = await service.issue({
        ...certificate(`long-${i}`),
        templateKey: 'generic/decision',
        data: long,
      });
      tenPage.push(performance.now() - t);
      pages = (await PDFDocument.load(await service.pdf(municipalityId, d.id))).getPageCount();
    }
    console.log(
      `${pages}-page decision (render, print, seal, store): median ${ms(pct(tenPage, 50))}, max ${ms(Math.max(...tenPage))}`,
    );

    // Memory over many issues.
    const dir = await printer.userDataDir();
    const sample = (n: number): string =>
      `after ${String(n).padStart(4)}: node RSS ${mb(rssKb(process.pid))}, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB, Chromium PSS ${mb(chromiumRssKb(dir))}`;
    console.log(sample(0));
    const step = MEMORY_DOCS / 4;
    for (let done = 0; done < MEMORY_DOCS; done += step) {
      await runPool(step, CONCURRENCY, (i) => timed(`mem-${done + i}`));
      if (global.gc) global.gc();
      console.log(sample(done + step));
    }
  } finally {
    await printer.close();
    await ds.destroy().catch(() => undefined);
    await db.drop();
    rmSync(sealDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
