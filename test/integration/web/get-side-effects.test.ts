import { setRegisterTerritory } from '../../../src/persons/register-territory';
import { routesOf } from '../../support/routes';
import { signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(300_000);

/**
 * Issue 12 L1: a GET never lets its query choose what is written. Every GET route of the router
 * is called by a member of staff who may do everything (a link in a mail, an <img src>, a
 * navigation) with a purpose, a case and a personal code in the query: no audit entry carries
 * that purpose, and no one is taken over from the population register by a look-up. (A page
 * view's own read entry, with the page's fixed purpose, is expected and allowed: a list page that
 * shows a resident names them in the audit log (M2), which takes them into the municipality's
 * persons, with the list's own purpose.)
 */
let h: ResidenceHarness;
let staff: Session;
let resident: string;
const MARK = 'L1-MARK';

beforeAll(async () => {
  h = await startResidenceApp();
  staff = await signInStaff(h.running.app, h.municipalityId, [
    'caseworker',
    'manager',
    'administrator',
  ]);
  const territory = `L1 novads ${Date.now().toString(36)}`;
  resident = await h.sim.person('1975-05-15', 'Navigēta', 'Saite');
  await h.sim.residence(resident, (await h.sim.apartment([], territory)).code, '2024-01-01');
  const [{ code }] = (await h.owner.query(`SELECT code FROM municipalities WHERE id = $1`, [
    h.municipalityId,
  ])) as { code: string }[];
  await setRegisterTerritory(h.owner, code, territory, 'l1');
});
afterAll(() => h?.close());

const state = async () =>
  (
    (await h.tenantDb.run(h.municipalityId, (em) =>
      em.query(
        `SELECT (SELECT count(*) FROM audit_log WHERE purpose LIKE $1 OR purpose IN ('counter-service', 'case-handling'))::int AS marked,
                (SELECT count(*) FROM persons WHERE personal_code = $2)::int AS taken`,
        [`%${MARK}%`, resident],
      ),
    )) as { marked: number; taken: number }[]
  )[0];

it('no GET route writes an audit entry with a purpose from its query, or takes a person over', async () => {
  const before = await state();
  expect(before).toEqual({ marked: 0, taken: 0 });
  const gets = routesOf(h.running.app).filter(
    (r) => r.method === 'GET' && r.path !== '/auth/oidc/callback',
  );
  expect(gets.length).toBeGreaterThan(30);
  const query = new URLSearchParams({
    purpose: MARK,
    q: resident,
    code: resident,
    caseNumber: MARK,
    reason: MARK,
  }).toString();
  for (const r of gets) {
    const path = r.path
      .replace(/\{\/\*\w+\}|\*\w+/g, 'x')
      .replace(/:code\b/g, resident)
      .replace(/:kind\b/g, 'persons')
      .replace(/:\w+/g, '00000000-0000-4000-8000-000000000000');
    for (const q of [query, query.replace('purpose=L1-MARK', 'purpose=counter-service')]) {
      const res = await staff.agent
        .get(`${path}?${q}`)
        .redirects(0)
        .ok(() => true);
      expect(res.status).toBeLessThan(500);
    }
  }
  const after = await state();
  expect(after.marked).toBe(before.marked);
  // Taken over only by being shown on a list page or in its export, with their own fixed purposes.
  const reads = (await h.tenantDb.run(h.municipalityId, (em) =>
    em.query(
      `SELECT DISTINCT a.purpose FROM audit_log a JOIN persons p ON p.id = a.person_id WHERE p.personal_code = $1`,
      [resident],
    ),
  )) as { purpose: string }[];
  expect(
    reads.map((r) => r.purpose).filter((purpose) => !/^(?:list|export) \w+$/.test(purpose)),
  ).toEqual([]);
  expect(after.taken).toBe(reads.length > 0 ? 1 : 0);
});
