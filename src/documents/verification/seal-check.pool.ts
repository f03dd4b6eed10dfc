import { Worker } from 'node:worker_threads';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { workerScript } from '../../platform/workers/worker-script';
import { Semaphore } from '../pdf/semaphore';
import type { SealCheck } from './pdf-seal-verifier';

export interface PdfCheck {
  sha256: string;
  seal: SealCheck;
}

type WorkerMessage = { kind: 'started' } | ({ kind: 'done' } & PdfCheck);

/** Loading the thread and its modules is not part of the budget, but may not hang either. */
const START_TIMEOUT_MS = 30_000;
/** How often the thread's heap is measured, and the share of the limit at which it is stopped. */
const HEAP_POLL_MS = 25;
const HEAP_SOFT_SHARE = 0.5;

const tooComplex = (): DomainError =>
  DomainError.validation([{ field: 'file', message: 'documents:verify.tooComplex' }]);

/**
 * Hashes a PDF and checks its seal in a worker thread, one thread per file: parsing an anonymous
 * upload never runs on the event loop. Each thread has a heap limit (VERIFY_WORKER_MEMORY_MB: a
 * hard V8 limit, and stopped at half of it by polling its heap) and a time budget
 * (VERIFY_TIME_BUDGET_MS); past either it is terminated and the file is refused as too complex
 * to check. At most VERIFY_WORKERS threads run at once and a few files wait; more
 * are refused as busy rather than held in memory.
 */
@Injectable()
export class SealCheckPool {
  private readonly slots: Semaphore;
  private waiting = 0;
  private readonly maxWaiting: number;
  private readonly script = workerScript(__dirname, 'seal-check.worker', __filename);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.slots = new Semaphore(config.VERIFY_WORKERS);
    this.maxWaiting = 4 * config.VERIFY_WORKERS;
  }

  async check(pdf: Buffer): Promise<PdfCheck> {
    if (this.waiting >= this.maxWaiting) {
      throw new DomainError(
        ErrorCode.ExternalUnavailable,
        'verification busy',
        [{ field: 'file', message: 'documents:verify.busy' }],
        { key: 'documents:verify.busy' },
      );
    }
    this.waiting++;
    const release = await this.slots.acquire().finally(() => this.waiting--);
    try {
      return await this.run(pdf);
    } finally {
      release();
    }
  }

  private run(pdf: Buffer): Promise<PdfCheck> {
    // A copy the thread owns: the upload's buffer may be a slice of a shared pool.
    const bytes = new Uint8Array(pdf).buffer;
    const worker = new Worker(this.script.file, {
      execArgv: this.script.execArgv,
      workerData: bytes,
      transferList: [bytes],
      resourceLimits: {
        maxOldGenerationSizeMb: this.config.VERIFY_WORKER_MEMORY_MB,
        maxYoungGenerationSizeMb: 16,
        stackSizeMb: 4,
      },
      stdout: false,
      stderr: false,
    });
    const softLimit = this.config.VERIFY_WORKER_MEMORY_MB * 1024 * 1024 * HEAP_SOFT_SHARE;
    return new Promise<PdfCheck>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(watch);
        fn();
        void worker.terminate();
      };
      // Stopped before V8 reaches the hard limit: its last-resort collections near the limit keep
      // both cores busy for seconds, which starves the event loop on a small machine.
      const watch = setInterval(() => {
        worker.getHeapStatistics().then(
          (h) => {
            if (h.used_heap_size > softLimit) finish(() => reject(tooComplex()));
          },
          () => undefined,
        );
      }, HEAP_POLL_MS);
      let timer = setTimeout(() => finish(() => reject(tooComplex())), START_TIMEOUT_MS);
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'started') {
          clearTimeout(timer);
          timer = setTimeout(
            () => finish(() => reject(tooComplex())),
            this.config.VERIFY_TIME_BUDGET_MS,
          );
        } else finish(() => resolve({ sha256: m.sha256, seal: m.seal }));
      });
      // ERR_WORKER_OUT_OF_MEMORY (the heap limit) or a crash of the parser: the file is refused.
      worker.on('error', () => finish(() => reject(tooComplex())));
      worker.on('exit', () => finish(() => reject(tooComplex())));
    });
  }
}
