import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Logger } from '@nestjs/common';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { makeProfileDir, removeStaleProfiles } from './chromium-profiles';
import type { PdfPrinter, PrintJob } from './pdf-printer';
import { Semaphore } from './semaphore';

export interface PuppeteerPrinterOptions {
  executablePath: string;
  /** Pages rendering at once (PDF_POOL_SIZE). */
  poolSize: number;
  /** Limit for one render (PDF_RENDER_TIMEOUT_MS); past it the browser is presumed hung and restarted. */
  renderTimeoutMs: number;
  launchTimeoutMs?: number;
  /** Where profile folders go (default: the OS temp dir). */
  tmpDir?: string;
}

/** Flags verified on Debian Chromium (see MACHINE.md); the browser tests use them too. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--mute-audio',
];

interface Instance {
  browser: Browser;
  userDataDir: string;
  idle: Page[];
  dead: boolean;
}

const NO_HEADER = '<span></span>';

/**
 * A warm Chromium with a pool of reusable pages. Pages run without JavaScript and with every
 * request aborted except data: URLs, so a document can neither run script nor fetch anything.
 * A crashed browser is relaunched on the next print; a render that overruns its time limit kills
 * the browser (it is presumed hung) and fails with a retryable error.
 *
 * The browser talks to us over a pipe (not a WebSocket), so it exits when this process dies, even
 * by SIGKILL; profile folders that crashed processes left behind are removed at construction.
 */
export class PuppeteerPdfPrinter implements PdfPrinter {
  private readonly slots: Semaphore;
  private current: Promise<Instance> | null = null;
  /** The instance `current` resolved to, so retiring it can drop `current` synchronously. */
  private currentInstance: Instance | null = null;
  private closed = false;
  /** Pages opened over the printer's life (observability and tests). */
  pagesOpened = 0;
  /** Every browser launched and not yet cleaned up (a killed one is reaped asynchronously). */
  private readonly reaping = new Set<Promise<void>>();

  private readonly tmpDir: string;

  constructor(private readonly o: PuppeteerPrinterOptions) {
    this.slots = new Semaphore(o.poolSize);
    this.tmpDir = o.tmpDir ?? tmpdir();
    const removed = removeStaleProfiles(this.tmpDir);
    if (removed.length > 0)
      new Logger('PdfPrinter').warn(
        `Removed ${removed.length} Chromium profile folder(s) left by crashed processes: ${removed.join(', ')}`,
      );
  }

  /** The running browser's process id (tests use it to simulate crashes and hangs). */
  async browserPid(): Promise<number | undefined> {
    return (await this.instance()).browser.process()?.pid;
  }

  /** The running browser's profile folder (tests check it is gone after close). */
  async userDataDir(): Promise<string> {
    return (await this.instance()).userDataDir;
  }

  async print(job: PrintJob): Promise<Buffer> {
    const release = await this.slots.acquire();
    try {
      try {
        return await this.printOnce(job);
      } catch (e) {
        // A browser that died under us (not a timeout) gets one fresh attempt.
        if (e instanceof BrowserGone && !this.closed) return await this.printOnce(job);
        throw e;
      }
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = null;
    this.currentInstance = null;
    if (current) {
      const inst = await current.catch(() => null);
      if (inst) this.retire(inst, 'close');
    }
    await Promise.all([...this.reaping]);
  }

  private async printOnce(job: PrintJob): Promise<Buffer> {
    if (this.closed) throw new DomainError(ErrorCode.ExternalUnavailable, 'PDF printer is closed');
    const inst = await this.instance();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RenderTimeout()), this.o.renderTimeoutMs);
    });
    let page: Page | undefined;
    try {
      const work = (async () => {
        page = inst.idle.pop() ?? (await this.newPage(inst.browser));
        await page.setContent(job.html, { waitUntil: 'load', timeout: 0 });
        return page.pdf({
          format: 'A4',
          printBackground: true,
          displayHeaderFooter: job.footerHtml !== undefined,
          headerTemplate: NO_HEADER,
          footerTemplate: job.footerHtml ?? NO_HEADER,
          margin: { top: '16mm', bottom: '18mm', left: '20mm', right: '20mm' },
          timeout: 0,
        });
      })();
      work.catch(() => undefined);
      const pdf = await Promise.race([work, timeout]);
      if (!inst.dead && page) inst.idle.push(page);
      return Buffer.from(pdf);
    } catch (e) {
      if (e instanceof RenderTimeout) {
        this.retire(inst, 'render timeout');
        throw new DomainError(
          ErrorCode.ExternalTimeout,
          `PDF render exceeded ${this.o.renderTimeoutMs} ms; browser restarted`,
        );
      }
      if (
        inst.dead ||
        !inst.browser.connected ||
        processGone(inst) ||
        BROWSER_GONE.test(String(e))
      ) {
        this.retire(inst, 'disconnected');
        throw new BrowserGone();
      }
      if (page) await page.close().catch(() => undefined);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private instance(): Promise<Instance> {
    if (!this.current) {
      const launching = this.launch();
      this.current = launching;
      launching.catch(() => {
        if (this.current === launching) this.current = null;
      });
    }
    return this.current;
  }

  private async launch(): Promise<Instance> {
    const userDataDir = makeProfileDir(this.tmpDir);
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        executablePath: this.o.executablePath,
        headless: true,
        // CDP over stdio pipes: Chromium exits on EOF when this process dies, so no orphan survives a crash.
        pipe: true,
        args: CHROMIUM_ARGS,
        userDataDir,
        timeout: this.o.launchTimeoutMs ?? 30_000,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (e) {
      rmSync(userDataDir, { recursive: true, force: true });
      throw new DomainError(
        ErrorCode.ExternalUnavailable,
        `Chromium did not start: ${(e as Error).message}`,
      );
    }
    const inst: Instance = { browser, userDataDir, idle: [], dead: false };
    if (!this.closed) this.currentInstance = inst;
    browser.on('disconnected', () => this.retire(inst, 'disconnected'));
    return inst;
  }

  private async newPage(browser: Browser): Promise<Page> {
    const page = await browser.newPage();
    this.pagesOpened++;
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (r: HTTPRequest) => {
      if (r.isInterceptResolutionHandled()) return;
      if (r.url().startsWith('data:')) void r.continue();
      else void r.abort('blockedbyclient');
    });
    return page;
  }

  /** Takes an instance out of service: kills its process group and removes its profile folder. */
  private retire(inst: Instance, why: 'close' | 'render timeout' | 'disconnected'): void {
    if (inst.dead) return;
    inst.dead = true;
    inst.idle = [];
    if (this.currentInstance === inst) {
      this.current = null;
      this.currentInstance = null;
    }
    const reap = this.reap(inst, why === 'close');
    this.reaping.add(reap);
    void reap.finally(() => this.reaping.delete(reap));
  }

  private async reap(inst: Instance, graceful: boolean): Promise<void> {
    const proc = inst.browser.process();
    const exited = new Promise<void>((resolve) => {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
    // A graceful close first; a hung (or stopped) browser gets SIGKILL for its whole process group.
    if (graceful) await Promise.race([inst.browser.close().catch(() => undefined), sleep(3000)]);
    if (proc?.pid && proc.exitCode === null && proc.signalCode === null) {
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        proc.kill('SIGKILL');
      }
    }
    await Promise.race([exited, sleep(5000)]);
    rmSync(inst.userDataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Messages puppeteer gives when the browser or its target went away mid-call. */
const BROWSER_GONE = /Target closed|Session closed|Connection closed|detached|Protocol error/i;

const processGone = (inst: Instance): boolean => {
  const p = inst.browser.process();
  return !!p && (p.exitCode !== null || p.signalCode !== null);
};

class RenderTimeout extends Error {}
class BrowserGone extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());
