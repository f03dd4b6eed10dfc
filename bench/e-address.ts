/**
 * e-address benchmark. Run: `node -r ./test/support/swc-register.js bench/e-address.ts`
 * Starts the DIV stand-in as its own process (HTTPS, mutual TLS, test CA made with openssl) and
 * sends BENCH_MESSAGES deliveries, each with one BENCH_PDF_BYTES PDF (streamed in 1 MiB chunks, as
 * the document store hands files out), through the DIV adapter:
 * signed envelope (RSA-SHA512, SHA-512 file digest), WS-Security signature, MTOM, with
 * BENCH_CONCURRENCY in flight. The stand-in verifies every signature and validates every body
 * with xmllint. Prints messages/s, latency percentiles and this process's memory.
 * Env: BENCH_MESSAGES (default 1000), BENCH_PDF_BYTES (1048576), BENCH_CONCURRENCY (8).
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import type { EAddressEnvelope } from '../src/integrations/e-adrese/e-address.port';
import { letter, startDivStandIn } from '../test/support/div-stand-in';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000);
const PDF_BYTES = Number(process.env.BENCH_PDF_BYTES ?? 1_048_576);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

/** Delivery i's PDF as the document store hands it out: a stream of 1 MiB chunks, made as read. */
function* pdfChunks(i: number): Generator<Buffer> {
  for (let at = 0; at < PDF_BYTES; at += 1_048_576) {
    const b = Buffer.alloc(Math.min(1_048_576, PDF_BYTES - at), 0x20);
    if (at === 0) b.write(`%PDF-1.7\n% delivery ${i}\n`);
    yield b;
  }
}

function delivery(ref: string, i: number): EAddressEnvelope {
  const env = letter(ref);
  env.files = [
    {
      name: 'lemums.pdf',
      mimeType: 'application/pdf',
      size: PDF_BYTES,
      sha256: '',
      open: () => Readable.from(pdfChunks(i)),
    },
  ];
  return env;
}

async function main(): Promise<void> {
  const standIn = await startDivStandIn();
  // A send that got no reply is retried at once (no resend window): the bench measures throughput.
  const adapter = standIn.adapter({ timeoutMs: 60_000, resendAfterMs: 0 });
  let retries = 0;
  const send = async (env: EAddressEnvelope): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await adapter.send(env);
        return;
      } catch (err) {
        if (attempt >= 3 || !(err as { retryable?: boolean }).retryable) throw err;
        retries++;
      }
    }
  };
  try {
    await send(delivery('bench-warm-up', -1));
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
          await send(delivery(`bench-${i}`, i));
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
      `deliveries: ${MESSAGES} × ${PDF_BYTES} B PDF, ${CONCURRENCY} in flight; stored by the stand-in: ${stored.length}; retried sends: ${retries}`,
    );
    console.log(
      `throughput: ${(MESSAGES / seconds).toFixed(2)} messages/s (${seconds.toFixed(1)} s)`,
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
