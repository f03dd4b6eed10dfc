import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { I18nService } from '../../../src/platform/i18n/i18n.service';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { setRegisterTerritory } from '../../../src/persons/register-territory';
import { signInCitizen, signInStaff } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { randomUUID } from 'node:crypto';
import {
  crawl,
  fieldNames,
  fill,
  rawKeyFinder,
  routePattern,
  routesOf,
  type Route,
} from './route-fuzz.support';

jest.setTimeout(600_000);

interface Identity {
  name: string;
  cookie: string;
  csrf: string;
}

interface Probe {
  text: string;
  location: string | null;
  who: string;
  method: string;
  url: string;
  what: string;
  status: number;
  rawKey: string | null;
}

const LONG = 'x'.repeat(5000);
const MALFORMED_IDS = ['abc', '---', LONG, '%00'];
const QUERY_VALUES: [string, (name: string) => string][] = [
  ['page=1e30 and friends', (n) => `${n}=1e30`],
  ['after=abc and friends', (n) => `${n}=abc`],
  ['negative', (n) => `${n}=-1`],
  ['repeated', (n) => `${n}=a&${n}=b`],
  ['percent-zero', (n) => `${n}=%00`],
  ['dashes', (n) => `${n}=---`],
];
const QUERY_NAMES = [
  'page',
  'after',
  'before',
  'q',
  'status',
  'from',
  'to',
  'sort',
  'order',
  'limit',
  'lang',
  'returnTo',
  'purpose',
  'kind',
  'saved',
  'year',
  'month',
  'date',
  'code',
  'name',
  'view',
  'filter',
  'municipalityId',
  'process',
  'step',
  'role',
  'expired',
];

/** Input names in the server-rendered views (so form handlers get their own field names wrong). */
function viewInputNames(dir = join(__dirname, '../../../src')): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) names.push(...viewInputNames(p));
    else if (p.endsWith('.hbs'))
      names.push(
        ...[...readFileSync(p, 'utf8').matchAll(/name="([A-Za-z][A-Za-z0-9_]*)"/g)].map(
          (m) => m[1],
        ),
      );
  }
  return names;
}

/** Auth routes that end or replace the session go last, so the other routes see the identity signed in. */
const sessionEnding = (r: Route): boolean => r.method !== 'GET' && r.path.startsWith('/auth/');

let h: ResidenceHarness;
let routes: Route[];
let identities: Identity[];
let fields: string[];
let findRawKey: (body: string) => string | null;
/** Concrete URLs (real ids, list kinds) each identity reached by links: pages and form actions. */
const reached = new Map<string, { pages: string[]; actions: string[] }>();

beforeAll(async () => {
  h = await startResidenceApp();
  await seedDevResidents(h);
  routes = routesOf(h.running.app).sort(
    (a, b) => Number(sessionEnding(a)) - Number(sessionEnding(b)),
  );
  fields = fieldNames(viewInputNames());
  findRawKey = rawKeyFinder(h.running.app.get(I18nService));
  const staff = await signInStaff(h.running.app, h.municipalityId, [
    { role: 'caseworker', process: 'residence-declaration' },
    'manager',
    'administrator',
    'council_secretary',
    'deputy',
  ]);
  const citizen = await signInCitizen(h.running.url, h.municipalityId, DEV_CITIZEN.code);
  const citizenSession = (await (
    await citizen.get('/api/auth/session', { accept: 'application/json' })
  ).json()) as { csrfToken: string };
  const anonymous = await fetch(`${h.running.url}/api/auth/session`);
  const anonymousCookie = anonymous.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  // A register territory with one resident, so the persons lists run their queries.
  const territory = `Fuzz novads ${randomUUID().slice(0, 6)}`;
  await h.sim.residence(
    await h.sim.person('1970-07-17'),
    (await h.sim.apartment([], territory)).code,
    '2024-01-01',
  );
  const [{ code }] = await h.owner.query<{ code: string }[]>(
    `SELECT code FROM municipalities WHERE id = $1`,
    [h.municipalityId],
  );
  await setRegisterTerritory(h.owner, code, territory, 'route-fuzz');
  // One case with an open task, so case, task and document routes are fuzzed with real ids too.
  const owner = await h.sim.person('1961-01-21');
  const me = await h.sim.person('1991-11-19');
  const flat = await h.sim.apartment([{ code: owner, name: 'O' }]);
  await staff.agent
    .post('/workspace/residence/declare')
    .type('form')
    .send({
      _csrf: staff.csrf,
      submissionKey: randomUUID(),
      applicantCode: me,
      includeSelf: 'yes',
      addressCode: flat.code,
      basis: 'lease',
    })
    .expect(303);
  identities = [
    { name: 'staff', cookie: staff.headers.cookie, csrf: staff.csrf },
    {
      name: 'citizen',
      cookie: [...citizen.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      csrf: citizenSession.csrfToken,
    },
    {
      name: 'anonymous',
      cookie: anonymousCookie,
      csrf: ((await anonymous.json()) as { csrfToken: string }).csrfToken,
    },
  ];
  for (const who of identities) {
    const get = async (path: string) => {
      const p = await send(who, 'GET', path, 'crawl');
      return { text: p.text, location: p.location };
    };
    reached.set(
      who.name,
      await crawl(get, [
        '/',
        '/workspace',
        '/workspace/dashboard',
        '/workspace/residence/lists',
        '/admin',
        '/services',
        '/my-cases',
        '/verify',
      ]),
    );
  }
});
afterAll(() => h?.close());

/** Concrete URLs of this route that the identity reached, besides the route filled with a stranger's id. */
function urlsFor(who: Identity, r: Route, kind: 'pages' | 'actions'): string[] {
  const re = routePattern(r.path);
  const found = (reached.get(who.name)?.[kind] ?? [])
    .filter((u) => re.test(u))
    .slice(0, kind === 'pages' ? 3 : 1);
  return [fill(r.path, '00000000-0000-4000-8000-000000000000'), ...found];
}

async function send(
  who: Identity,
  method: string,
  url: string,
  what: string,
  body?: { type: string; data: string },
  accept = 'text/html',
): Promise<Probe> {
  const headers: Record<string, string> = {
    accept,
    'x-csrf-token': who.csrf,
    'accept-language': 'en',
  };
  if (who.cookie) headers.cookie = who.cookie;
  if (body) headers['content-type'] = body.type;
  let status: number;
  let text = '';
  let location: string | null = null;
  try {
    const res = await fetch(`${h.running.url}${url}`, {
      method,
      headers,
      body: body?.data,
      redirect: 'manual',
    });
    status = res.status;
    location = res.headers.get('location');
    text = await res.text();
  } catch (e) {
    // The server may close the connection on a body it refuses before reading it all; that is not a 5xx.
    if (
      (e as { cause?: { code?: string } }).cause?.code === 'UND_ERR_SOCKET' ||
      (e as { cause?: { code?: string } }).cause?.code === 'ECONNRESET'
    )
      status = 0;
    else throw e;
  }
  return {
    text,
    location,
    who: who.name,
    method,
    url: url.length > 120 ? `${url.slice(0, 120)}…` : url,
    what,
    status,
    rawKey: status >= 400 ? findRawKey(text) : null,
  };
}

/** Runs the probes a few at a time (the machine is small; a flood would only measure the machine). */
async function runAll(jobs: (() => Promise<Probe>)[], width = 4): Promise<Probe[]> {
  const out: Probe[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) out.push(await jobs[next++]());
    }),
  );
  return out;
}

/** One line per failing probe, readable in the test report. */
const bad = (probes: Probe[]): string[] =>
  probes
    .filter((p) => p.status >= 500 || p.rawKey !== null)
    .map(
      (p) =>
        `${p.status} ${p.who} ${p.method} ${p.url} [${p.what}]${p.rawKey ? ` raw key ${p.rawKey}` : ''}`,
    )
    .sort();

function bodies(): [string, { type: string; data: string }][] {
  const json = (v: unknown) => ({ type: 'application/json', data: JSON.stringify(v) });
  const form = (s: string) => ({ type: 'application/x-www-form-urlencoded', data: s });
  const numbers = Object.fromEntries(fields.map((f) => [f, 12345]));
  const objects = Object.fromEntries(fields.map((f) => [f, { nested: ['x'] }]));
  const longs = Object.fromEntries(fields.map((f) => [f, LONG]));
  return [
    ['json array instead of object', json([1, 2, 3])],
    ['json numbers for strings', json(numbers)],
    ['json objects for strings', json(objects)],
    ['json 5000-char strings', json(longs)],
    ['json null', { type: 'application/json', data: 'null' }],
    ['broken json', { type: 'application/json', data: '{"a": [1, 2' }],
    ['json 200 KB', json({ ...numbers, padding: 'p'.repeat(200 * 1024) })],
    ['json 2 MB', json({ padding: 'p'.repeat(2 * 1024 * 1024) })],
    ['form repeated fields', form(fields.map((f) => `${f}=a&${f}=b`).join('&'))],
    ['form 5000-char fields', form(fields.map((f) => `${f}=${LONG}`).join('&'))],
    ['form 200 KB', form(`padding=${'p'.repeat(200 * 1024)}`)],
    ['form 2 MB', form(`padding=${'p'.repeat(2 * 1024 * 1024)}`)],
    ['form with %00 and bad percent', form(fields.map((f) => `${f}=%00%E0%A4%A`).join('&'))],
  ];
}

describe('route fuzz: malformed input never gets a 5xx or an untranslated message', () => {
  it('finds the routes of the whole application, and real URLs of them by following links', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.some((r) => r.path.startsWith('/workspace/residence/lists'))).toBe(true);
    expect(reached.get('staff')!.pages).toEqual(
      expect.arrayContaining(['/workspace/residence/lists/persons']),
    );
    expect(
      reached
        .get('staff')!
        .pages.some((p) => /^\/workspace\/(residence\/)?cases\/[0-9a-f-]{36}$/.test(p)),
    ).toBe(true);
  });

  it('answers a persons list with a malformed cursor below 500 (D15)', async () => {
    const staff = identities[0];
    for (const q of ['after=abc', 'after=1e30', 'after=-1', 'after=99999999999999999999999'])
      expect(
        (await send(staff, 'GET', `/workspace/residence/lists/persons?${q}`, q)).status,
      ).toBeLessThan(500);
  });

  it('answers malformed ids below 500, translated', async () => {
    const jobs = identities.flatMap((who) =>
      routes
        .filter((r) => r.params.length)
        .flatMap((r) =>
          MALFORMED_IDS.map(
            (id) => () =>
              send(
                who,
                r.method,
                fill(r.path, encodeURIComponent(id).replace('%2500', '%00')),
                `id ${id.slice(0, 10)}`,
              ),
          ),
        ),
    );
    expect(bad(await runAll(jobs))).toEqual([]);
  });

  it('answers repeated, huge and malformed query parameters below 500, translated', async () => {
    const get = routes.filter((r) => r.method === 'GET');
    const jobs = identities.flatMap((who) =>
      get.flatMap((r) =>
        urlsFor(who, r, 'pages').flatMap((base) => [
          ...QUERY_VALUES.map(
            ([what, q]) =>
              () =>
                send(who, 'GET', `${base}?${QUERY_NAMES.map(q).join('&')}`, what),
          ),
          () =>
            send(
              who,
              'GET',
              `${base}?q=${'q'.repeat(12 * 1024)}&after=${'9'.repeat(4000)}`,
              '12 KB value',
            ),
          () => send(who, 'GET', `${base}?q=${'q'.repeat(200 * 1024)}`, '200 KB value'),
        ]),
      ),
    );
    expect(bad(await runAll(jobs))).toEqual([]);
  });

  it('answers wrong body types, oversized and broken bodies below 500, translated (with a valid CSRF token)', async () => {
    const writes = routes.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
    expect(writes.length).toBeGreaterThan(10);
    const jobs = identities.flatMap((who) =>
      writes.flatMap((r) =>
        urlsFor(who, r, 'actions').flatMap((url) =>
          bodies().flatMap(([what, body], i) => [
            () => send(who, r.method, url, what, body),
            // The JSON error answer too, for a few bodies (the machine is small).
            ...(i % 3 === 0
              ? [() => send(who, r.method, url, `${what} (json)`, body, 'application/json')]
              : []),
          ]),
        ),
      ),
    );
    expect(bad(await runAll(jobs))).toEqual([]);
  });
});
