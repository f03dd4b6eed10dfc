// Closed-loop HTTP load from its own process, so the client's work is not done on the server's
// event loop. Reads {url, cookies, paths, seconds, thinkMs} as JSON on stdin; each cookie is one
// user who requests a random path from `paths`, reads the whole page, then waits a random think
// time (exponential, mean `thinkMs`; 0 = back to back) before the next. Uses node:http with one
// kept-alive connection per user, as a browser would: undici's fetch cost the shared box about
// three times more CPU per request. Prints {latencies, errors, bytes, cpuMicros} as JSON (bytes: of all bodies, as sent).
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const {
  url,
  cookies,
  paths,
  seconds,
  thinkMs = 0,
} = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const target = new URL(url);
const latencies = [];
let errors = 0;
let bytes = 0;
const until = performance.now() + seconds * 1000;

function get(agent, path, cookie) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path,
        agent,
        headers: { cookie, accept: 'text/html' },
        timeout: 30_000,
      },
      (res) => {
        res.on('data', (d) => (bytes += d.length));
        res.on('end', () => resolve(res.statusCode));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

await Promise.all(
  cookies.map(async (cookie) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // Users do not start in lockstep.
    if (thinkMs > 0) await sleep(Math.random() * thinkMs);
    while (performance.now() < until) {
      const path = paths[Math.floor(Math.random() * paths.length)];
      const t0 = performance.now();
      try {
        if ((await get(agent, path, cookie)) !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
      if (thinkMs > 0) await sleep(-Math.log(1 - Math.random()) * thinkMs);
    }
    agent.destroy();
  }),
);
const { user, system } = process.cpuUsage();
process.stdout.write(JSON.stringify({ latencies, errors, bytes, cpuMicros: user + system }));
