import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { checkPdfSeal } from './pdf-seal-verifier';

/**
 * One check of an uploaded PDF, in its own thread with its own heap (SealCheckPool): a hostile file
 * can exhaust this thread's memory or time budget, never the web process's event loop.
 */
const pdf = Buffer.from(workerData as ArrayBuffer);
// The time budget starts now, after the thread and its modules have loaded.
parentPort!.postMessage({ kind: 'started' });
const sha256 = createHash('sha256').update(pdf).digest('hex');
const seal = checkPdfSeal(pdf);
parentPort!.postMessage({ kind: 'done', sha256, seal });
