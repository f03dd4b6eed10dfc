import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PuppeteerPdfPrinter } from '../../../src/documents/pdf/puppeteer-pdf-printer';
import { ErrorCode } from '../../../src/platform/errors/domain-error';
import { pdffonts, pdftotext } from './support';

const html = (body: string): string =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><style>html{font-family:'DejaVu Sans',sans-serif}</style></head><body>${body}</body></html>`;

/** Processes whose command line mentions `needle` (e.g. a Chromium profile folder). */
function processesMentioning(needle: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2].startsWith('Z');
  } catch {
    return false;
  }
};

jest.setTimeout(30_000);

describe('PuppeteerPdfPrinter (Debian Chromium)', () => {
  let printer: PuppeteerPdfPrinter;
  let server: Server;
  let hits: string[] = [];
  let origin: string;

  beforeAll(async () => {
    printer = new PuppeteerPdfPrinter({
      executablePath: '/usr/bin/chromium',
      poolSize: 2,
      // Generous: a loaded CI machine takes seconds per print. The hung-browser test has its own.
      renderTimeoutMs: 15_000,
    });
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await printer.close();
    server.close();
  });

  it('prints Latvian and Greek text with DejaVu Sans embedded, and page numbers in the footer', async () => {
    const pdf = await printer.print({
      html: html(
        '<p>Izziņa: ā č ē ģ ī ķ ļ ņ š ū ž Ā Č Ē Ģ Ī Ķ Ļ Ņ Š Ū Ž</p><p>Βεβαίωση κατοικίας Δήμος Αθηναίων</p>',
      ),
      footerHtml: `<div style="font-family:'DejaVu Sans';font-size:8pt">Lapa <span class="pageNumber"></span> no <span class="totalPages"></span></div>`,
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdftotext(pdf);
    expect(text).toContain('ā č ē ģ ī ķ ļ ņ š ū ž Ā Č Ē Ģ Ī Ķ Ļ Ņ Š Ū Ž');
    expect(text).toContain('Βεβαίωση κατοικίας Δήμος Αθηναίων');
    expect(text).toContain('Lapa 1 no 1');
    expect(await pdffonts(pdf)).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('blocks every request except data: URLs', async () => {
    hits = [];
    const pdf = await printer.print({
      html:
        `<link rel="stylesheet" href="${origin}/style.css"><img src="${origin}/img.png">` +
        `<iframe src="${origin}/frame"></iframe><p style="background:url(${origin}/bg.png)">blocked</p>` +
        `<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==">`,
    });
    expect(await pdftotext(pdf)).toContain('blocked');
    expect(hits).toEqual([]);
  });

  it('never runs script in a document', async () => {
    const pdf = await printer.print({
      html: html(
        `<p id="t">original</p><script>document.getElementById('t').textContent='PWNED'; fetch('${origin}/js')</script>`,
      ),
    });
    const text = await pdftotext(pdf);
    expect(text).toContain('original');
    expect(text).not.toContain('PWNED');
    expect(hits).toEqual([]);
  });

  it('renders at most PDF_POOL_SIZE documents at once, reusing warm pages', async () => {
    const before = printer.pagesOpened;
    const pdfs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => printer.print({ html: html(`<p>doc ${i}</p>`) })),
    );
    expect(await Promise.all(pdfs.map(pdftotext))).toEqual(
      pdfs.map((_, i) => expect.stringContaining(`doc ${i}`)),
    );
    expect(printer.pagesOpened).toBeLessThanOrEqual(2);
    expect(printer.pagesOpened - before).toBeLessThanOrEqual(2);
  });

  it('relaunches a crashed browser on the next print', async () => {
    const pid = (await printer.browserPid())!;
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const pdf = await printer.print({ html: html('<p>after crash</p>') });
    expect(await pdftotext(pdf)).toContain('after crash');
    expect(await printer.browserPid()).not.toBe(pid);
  });

  /** A printer of the test's own, with one warm browser, closed afterwards. */
  async function withOwnPrinter(
    renderTimeoutMs: number,
    fn: (own: PuppeteerPdfPrinter) => Promise<void>,
  ): Promise<void> {
    const own = new PuppeteerPdfPrinter({
      executablePath: '/usr/bin/chromium',
      poolSize: 1,
      renderTimeoutMs,
    });
    try {
      await own.print({ html: html('<p>warm</p>') });
      await fn(own);
    } finally {
      await own.close();
    }
  }

  it('retries a print once on a fresh browser when the browser dies during it', async () => {
    // Its own printer with a generous limit: the retry launches a browser and prints 400
    // paragraphs after the crash.
    await withOwnPrinter(20_000, async (own) => {
      const pid = (await own.browserPid())!;
      const body = Array.from(
        { length: 400 },
        (_, i) => `<p>Rindkopa ${i}: ā č ē ģ ī ķ ļ ņ š ū ž</p>`,
      ).join('');
      const printing = own.print({ html: html(`${body}<p>survived the crash</p>`) });
      setTimeout(() => process.kill(pid, 'SIGKILL'), 30);
      const text = await pdftotext(await printing);
      expect(text).toContain('survived the crash');
      expect(await own.browserPid()).not.toBe(pid);
    });
  });

  it('times out a hung browser, kills it and prints again with a fresh one', async () => {
    await withOwnPrinter(5000, async (own) => {
      const pid = (await own.browserPid())!;
      const dir = await own.userDataDir();
      process.kill(pid, 'SIGSTOP');
      const started = Date.now();
      await expect(own.print({ html: html('<p>hung</p>') })).rejects.toMatchObject({
        code: ErrorCode.ExternalTimeout,
        retryable: true,
      });
      // It gave up at its limit, not after the hung browser (which never answers).
      expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
      expect(Date.now() - started).toBeLessThan(15_000);
      const pdf = await own.print({ html: html('<p>after hang</p>') });
      expect(await pdftotext(pdf)).toContain('after hang');
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(pid)).toBe(false);
      expect(existsSync(dir)).toBe(false);
    });
  });

  it('leaves no process and no profile folder behind after close', async () => {
    const other = new PuppeteerPdfPrinter({
      executablePath: '/usr/bin/chromium',
      poolSize: 1,
      renderTimeoutMs: 5000,
    });
    await other.print({ html: html('<p>x</p>') });
    const dir = await other.userDataDir();
    expect(processesMentioning(dir).length).toBeGreaterThan(0);
    await other.close();
    expect(existsSync(dir)).toBe(false);
    expect(processesMentioning(dir)).toEqual([]);
    await expect(other.print({ html: html('<p>y</p>') })).rejects.toThrow(/closed/);
  });
});
