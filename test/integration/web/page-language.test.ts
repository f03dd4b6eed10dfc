import { csrfIn } from '../auth/auth-support';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { type Browser, signInCitizen, signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { setRegisterTerritory } from '../../../src/persons/register-territory';

jest.setTimeout(120_000);

/**
 * D21: the main screens in Latvian and Greek show no raw i18n keys (`namespace:key`, with or
 * without a dot) and no English leftovers (status codes such as `active`, English process names,
 * English document titles).
 */
let h: ResidenceHarness;
beforeAll(async () => {
  h = await startResidenceApp();
  await seedDevResidents(h);
});
afterAll(() => h?.close());

/** The text a person reads: scripts, styles and tags removed, entities decoded. */
const visibleText = (html: string): string =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<title>([\s\S]*?)<\/title>/g, ' $1 ')
    .replace(/<[^<>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, ' ');

const NAMESPACES = [
  'common',
  'errors',
  'auth',
  'portal',
  'workspace',
  'residence',
  'tasks',
  'persons',
  'admin',
  'audit',
  'delivery',
  'documents',
  'deadlines',
  'registers',
  'catalogue',
  'residence-catalogue',
];
const RAW_KEY = new RegExp(`\\b(?:${NAMESPACES.join('|')}):[a-zA-Z][\\w.-]*`);
/** English words that only appear when a translation is missing (whole words, case-sensitive where it matters). */
const ENGLISH = [
  /\bactive\b/,
  /\bresidence declaration\b/i,
  /\breview\b/,
  /\bsubmitted\b/,
  /\bregistered\b/,
  /\bPlease sign in\b/,
  /\bcertificate\b/i,
  /\bDeclarations?\b/,
  /\bStatus\b/,
  /\bDecision due by\b/,
  /\bSign out\b/,
];

it('the main screens in lv and el show no raw keys and no English leftovers', async () => {
  const flat = await h.sim.apartment([
    { code: await h.sim.person('1946-06-06', 'Ilze', 'Bērziņa'), name: 'Ilze Bērziņa' },
  ]);
  const citizen: Browser = await signInCitizen(h.running.url, h.municipalityId, DEV_CITIZEN.code);
  const form = await (await citizen.get('/residence/declare?lang=en')).text();
  const submitted = await citizen.postForm('/residence/declare', {
    _csrf: csrfIn(form),
    submissionKey: /name="submissionKey" value="([^"]+)"/.exec(form)![1],
    includeSelf: 'yes',
    addressCode: flat.code,
    basis: 'lease',
  });
  if (submitted.status !== 303)
    throw new Error(
      `declare answered ${submitted.status}: ${(await submitted.text()).slice(0, 3000)}`,
    );
  const caseId = submitted.headers.get('location')!.split('/').pop()!;
  const task = await h.openTask(caseId);
  const [{ code }] = (await h.owner.query(`SELECT code FROM municipalities WHERE id = $1`, [
    h.municipalityId,
  ])) as { code: string }[];
  await setRegisterTerritory(h.owner, code, 'Tukuma novads', 'test');
  const staff: Session = await signInStaff(h.running.app, h.municipalityId, [
    'caseworker',
    'manager',
  ]);

  const citizenPages = [
    '/',
    '/services',
    '/my-cases',
    `/residence/cases/${caseId}`,
    '/residence/declare',
    '/residence/certificates',
  ];
  const staffPages = [
    '/workspace',
    '/workspace/dashboard',
    `/workspace/cases/${caseId}`,
    `/workspace/tasks/${task.id}`,
    '/workspace/residence/lists/persons',
    '/workspace/residence/lists/declarations',
    '/workspace/cases',
  ];
  // The lists show rows (so their status column is read): the demo residents live in Tukuma novads.
  const persons = (await staff.agent.get('/workspace/residence/lists/persons?lang=lv').expect(200))
    .text;
  expect(
    (persons.match(/<tr class="govuk-table__row"><td class="govuk-table__cell"><a/g) ?? []).length,
  ).toBeGreaterThan(0);
  const problems: string[] = [];
  for (const lang of ['lv', 'el'] as const) {
    const pages: [string, string][] = [];
    for (const p of citizenPages)
      pages.push([
        p,
        await (await citizen.get(`${p}${p.includes('?') ? '&' : '?'}lang=${lang}`)).text(),
      ]);
    for (const p of staffPages)
      pages.push([
        p,
        (await staff.agent.get(`${p}${p.includes('?') ? '&' : '?'}lang=${lang}`)).text,
      ]);
    const anonymous = await (
      await import('supertest')
    )
      .default(h.running.app.getHttpServer())
      .get(`/workspace/cases/${caseId}?lang=${lang}`)
      .redirects(2);
    pages.push(['/workspace/cases/:id signed out', anonymous.text]);
    for (const [path, html] of pages) {
      const text = visibleText(html);
      const raw = RAW_KEY.exec(text);
      if (raw) problems.push(`${path} [${lang}]: raw key "${raw[0]}"`);
      for (const word of ENGLISH) {
        const m = word.exec(text);
        if (m)
          problems.push(
            `${path} [${lang}]: English "${m[0]}" in "…${text.slice(Math.max(0, m.index - 40), m.index + 40)}…"`,
          );
      }
    }
  }
  expect(problems).toEqual([]);
});
