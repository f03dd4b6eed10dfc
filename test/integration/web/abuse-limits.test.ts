import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isEmailAddress } from '../../../src/platform/email';
import { looksLikePersonalCode, parsePersonalCode } from '../../../src/persons/personal-code';
import { signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(120_000);

const ms = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;

/** Inputs that made the former patterns backtrack quadratically (seconds at tens of kilobytes). */
const dotted = (n: number): string => `a@${'a.'.repeat(n)}@`;
const digitsThenLetter = (n: number): string => `${'1'.repeat(n)}x`;

describe('regular expressions run in linear time on hostile input', () => {
  it('checks a 1 MB e-mail or personal-code field in well under 50 ms', () => {
    const email = dotted(500_000);
    const code = digitsThenLetter(1_000_000);
    for (const check of [
      () => isEmailAddress(email),
      () => looksLikePersonalCode(code),
      () => parsePersonalCode(code).ok,
    ]) {
      const t = process.hrtime.bigint();
      expect(check()).toBe(false);
      expect(ms(t)).toBeLessThan(50);
    }
  });

  it('still accepts ordinary addresses and codes', () => {
    expect(isEmailAddress('anna.berzina@example.lv')).toBe(true);
    expect(isEmailAddress('anna@example')).toBe(false);
    expect(looksLikePersonalCode('150385-12346')).toBe(true);
    expect(looksLikePersonalCode('Bērziņa')).toBe(false);
  });
});

describe('abuse limits over HTTP', () => {
  let h: ResidenceHarness;
  let staff: Session;

  beforeAll(async () => {
    h = await startResidenceApp();
    staff = await signInStaff(h.running.app, h.municipalityId, [
      { role: 'caseworker', process: 'residence-declaration' },
    ]);
  });
  afterAll(() => h?.close());

  /** The counter form with these fields, encoded before any measurement starts (it is big). */
  const counterForm = (fields: Record<string, string>): string =>
    new URLSearchParams({
      _csrf: staff.csrf,
      submissionKey: randomUUID(),
      applicantCode: '150385-12346',
      includeSelf: 'yes',
      addressCode: '100000001',
      basis: 'lease',
      ...fields,
    }).toString();

  const declare = (body: string): Promise<Response> =>
    fetch(`${h.running.url}/workspace/residence/declare?lang=en`, {
      method: 'POST',
      headers: { ...staff.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });

  /**
   * While `work` runs: the longest stall of the event loop (perf_hooks, 1 ms resolution; the app
   * runs in this process, so a blocking regex stalls it) and the slowest /health answer, probed
   * one after another until the work is done.
   */
  async function measureWhile(
    work: () => Promise<Response>,
  ): Promise<{ res: Response; text: string; stallMs: number; healthMaxMs: number }> {
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const latencies: number[] = [];
    let done = false;
    const pending = work().then(async (res) => ({ res, text: await res.text() }));
    void pending.finally(() => (done = true));
    do {
      const t = process.hrtime.bigint();
      const health = await fetch(`${h.running.url}/health`);
      await health.arrayBuffer();
      expect(health.status).toBe(200);
      latencies.push(ms(t));
    } while (!done);
    const result = await pending;
    loop.disable();
    return { ...result, stallMs: loop.max / 1e6, healthMaxMs: Math.max(...latencies) };
  }

  /**
   * Best of three runs, so a busy machine (2 cores shared with other work) cannot fail it: the
   * former patterns blocked the event loop for seconds in every run, /health with it. The stall
   * limit (250 ms) is far below that; a loaded CI machine (load 16) showed 125 ms of plain noise.
   */
  async function bestOfThree(
    work: () => Promise<Response>,
    check: (res: Response, text: string) => void,
  ): Promise<{ stallMs: number; healthMaxMs: number }> {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const run = await measureWhile(work);
      check(run.res, run.text);
      runs.push(run);
    }
    return {
      stallMs: Math.min(...runs.map((r) => r.stallMs)),
      healthMaxMs: Math.min(...runs.map((r) => r.healthMaxMs)),
    };
  }

  it('refuses a 1 MB field with a translated 413 without stalling the event loop or /health', async () => {
    const body = counterForm({ contactEmail: dotted(500_000) });
    const best = await bestOfThree(
      () => declare(body),
      (res, text) => {
        expect(res.status).toBe(413);
        expect(text).toContain('The data sent is too large.');
      },
    );
    expect(best.stallMs).toBeLessThan(250);
    expect(best.healthMaxMs).toBeLessThan(500);
  });

  it('keeps the event loop and /health responsive while a hostile e-mail just under the body limit is validated', async () => {
    const body = counterForm({ contactEmail: dotted(30_000) });
    const best = await bestOfThree(
      () => declare(body),
      (res, text) => {
        expect(res.status).toBe(422);
        expect(text).toContain('Enter at most 254 characters.');
      },
    );
    expect(best.stallMs).toBeLessThan(250);
    expect(best.healthMaxMs).toBeLessThan(500);
  });
});
