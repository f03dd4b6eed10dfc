/**
 * e-address benchmark. Run: `node -r ./test/support/swc-register.js bench/e-address.ts`
 * Starts the DIV stand-in as its own process (HTTPS, mutual TLS, test CA made with openssl) and
 * sends BENCH_MESSAGES deliveries, each with one BENCH_PDF_BYTES PDF, through the DIV adapter:
 * signed envelope (RSA-SHA512, SHA-512 file digest), WS-Security signature, MTOM, with
 * BENCH_CONCURRENCY in flight. The stand-in verifies every signature and validates every body
 * with xmllint. Prints messages/s, latency percentiles and this process's memory.
 * Env: BENCH_MESSAGES (default 1000), BENCH_PDF_BYTES (1048576), BENCH_CONCURRENCY (8).
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { letter, startDivStandIn } from '../test/support/div-stand-in';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000);
const PDF_BYTES = Number(process.env.BENCH_PDF_BYTES ?? 1_048_576);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

function pdf(i: number): Buffer {
  const b = Buffer.alloc(PDF_BYTES, 0x20);
  b.write(`%PDF-1.7\n% delivery ${i}\n`);
  return b;
}

async function main(): Promise<void> {
  const standIn = await startDivStandIn();
  const adapter = standIn.adapter({ timeoutMs: 60_000 });
  try {
    await adapter.send(letter('bench-warm-up', [pdf(-1)]));
    const latencies: number[] = [];
    let peakRss = 0;
    let peakHeap = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed + m.external + m.arrayBuffers);
    }, 50);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < MESSAGES) {
          const i = next++;
          const start = performance.now();
          await adapter.send(letter(`bench-${i}`, [pdf(i)]));
          latencies.push(performance.now() - start);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const stored = (
      await standIn.control<{ senderRef: string }[]>('GET', '/_control/messages')
    ).filter((m) => m.senderRef.startsWith('bench-') && m.senderRef !== 'bench-warm-up');
    latencies.sort((a, b) => a - b);
    const p = (q: number): string =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(0);
    const mb = (n: number): string => (n / 1_048_576).toFixed(0);
    console.log(`machine: ${availableParallelism()} cores, load ${loadavg()[0].toFixed(2)}`);
    console.log(
      `deliveries: ${MESSAGES} × ${PDF_BYTES} B PDF, ${CONCURRENCY} in flight; stored by the stand-in: ${stored.length}`,
    );
    console.log(
      `throughput: ${(MESSAGES / seconds).toFixed(1)} messages/s (${seconds.toFixed(1)} s)`,
    );
    console.log(
      `latency ms: p50 ${p(0.5)}, p95 ${p(0.95)}, p99 ${p(0.99)}, max ${latencies[latencies.length - 1].toFixed(0)}`,
    );
    console.log(
      `memory (this process): peak RSS ${mb(peakRss)} MiB, peak heap+buffers ${mb(peakHeap)} MiB`,
    );
  } finally {
    await standIn.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
