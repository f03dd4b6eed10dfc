// Closed-loop HTTP load from its own process, so the client's work is not done on the server's
// event loop. Reads {url, cookies, paths, seconds} as JSON on stdin; each cookie is one user
// requesting a random path from `paths` back to back. Prints {latencies, errors} as JSON.
import { performance } from 'node:perf_hooks';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const { url, cookies, paths, seconds } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const latencies = [];
let errors = 0;
const until = performance.now() + seconds * 1000;
await Promise.all(
  cookies.map(async (cookie) => {
    while (performance.now() < until) {
      const path = paths[Math.floor(Math.random() * paths.length)];
      const t0 = performance.now();
      try {
        const res = await fetch(`${url}${path}`, { headers: { cookie, accept: 'text/html' }, signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  }),
);
process.stdout.write(JSON.stringify({ latencies, errors }));
