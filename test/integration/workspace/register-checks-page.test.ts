import type { INestApplication } from '@nestjs/common';
import {
  createRegisterCheckActivities,
  type RegisterCheckActivities,
} from '../../../activities/registry';
import { ASSISTANCE_REGISTER } from '../../../src/integrations/assistance/assistance-register.port';
import { DISABILITY_REGISTER } from '../../../src/integrations/disability/disability-register.port';
import { EMPLOYMENT_REGISTER } from '../../../src/integrations/employment/employment-register.port';
import { INCOME_REGISTER } from '../../../src/integrations/income/income-register.port';
import { POPULATION_REGISTER } from '../../../src/integrations/population/population-register.port';
import { PROPERTY_REGISTER } from '../../../src/integrations/property/property-register.port';
import { P } from '../../../src/integrations/sim/demo-residents';
import { Simulators } from '../../../src/integrations/sim/simulators';
import { SOCIAL_INSURANCE_REGISTER } from '../../../src/integrations/social-insurance/social-insurance-register.port';
import { VEHICLE_REGISTER } from '../../../src/integrations/vehicles/vehicle-register.port';
import { runWithRetry } from '../../../src/engine/retry';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { REGISTER_CHECK_OPTIONS } from '../../../workflows/kit/register-checks';
import { openReferenceCase } from '../../factories/cases';
import { createMunicipality } from '../../factories/municipalities';
import { signInStaff, type Session } from '../../support/session';
import { createTestApp, seedStandardPopulation, tenantQuery } from '../registers/support';

jest.setTimeout(120_000);

let app: INestApplication;
let acts: RegisterCheckActivities;
let sims: Simulators;
let mun: string;
let other: string;
let caseId: string;
let caseworker: Session;
let caseworkerB: Session;

/** As the engine runs an activity: the register's retry policy, intervals shortened for the test. */
const withRetry = <T>(name: string, fn: () => Promise<T>): Promise<T> =>
  runWithRetry(
    name,
    {
      ...REGISTER_CHECK_OPTIONS[name],
      retry: { ...REGISTER_CHECK_OPTIONS[name].retry, initialIntervalMs: 10 },
    },
    fn,
  );

beforeAll(async () => {
  await seedStandardPopulation();
  app = await createTestApp();
  sims = app.get(Simulators);
  acts = createRegisterCheckActivities({
    tenantDb: app.get(TenantDb),
    population: app.get(POPULATION_REGISTER),
    property: app.get(PROPERTY_REGISTER),
    socialInsurance: app.get(SOCIAL_INSURANCE_REGISTER),
    income: app.get(INCOME_REGISTER),
    employment: app.get(EMPLOYMENT_REGISTER),
    disability: app.get(DISABILITY_REGISTER),
    vehicles: app.get(VEHICLE_REGISTER),
    assistance: app.get(ASSISTANCE_REGISTER),
  });
  mun = (await createMunicipality(app)).id;
  other = (await createMunicipality(app)).id;
  await tenantQuery(
    mun,
    `INSERT INTO residence_territories (municipality_id, register_municipality) VALUES ($1, 'Tukuma novads')`,
    [mun],
  );
  caseworker = await signInStaff(app, mun, [{ role: 'caseworker', process: 'reference' }]);
  caseworkerB = await signInStaff(app, other, [{ role: 'caseworker', process: 'reference' }]);
  caseId = (await openReferenceCase(app, mun)).caseId;

  const base = { caseId, municipalityId: mun, asOf: '2026-11-20' };
  sims.faults('income').set({ failNext: 2 });
  await withRetry('checkIncomeRegister', () =>
    acts.checkIncomeRegister({
      ...base,
      personalCode: P.andris.code,
      declared: { totalNetCents: 150_000 },
    }),
  );
  await withRetry('checkAssistanceRegister', () =>
    acts.checkAssistanceRegister({ ...base, personalCode: P.ilze.code }),
  );
  await withRetry('checkHouseholdRegister', () =>
    acts.checkHouseholdRegister({
      ...base,
      personalCode: P.andris.code,
      declared: { members: [P.ilze.code] },
    }),
  );
  sims.faults('vehicles').set({ down: true });
  await withRetry('checkVehicleRegister', () =>
    acts.checkVehicleRegister({ ...base, personalCode: P.andris.code }),
  ).catch(() => undefined);
});
afterAll(async () => {
  sims?.resetAll();
  await app?.close();
});

const page = (s: Session, lang: string) => s.agent.get(`/workspace/cases/${caseId}?lang=${lang}`);
const card = (html: string, register: string): string => {
  const at = html.indexOf(`data-register="${register}" data-status`);
  expect(at).toBeGreaterThan(-1);
  return html.slice(
    at,
    html.indexOf('govuk-summary-card"', at + 10) > 0
      ? html.indexOf('govuk-summary-card"', at + 10)
      : undefined,
  );
};

describe('the "Register checks" section of the staff case page', () => {
  it('shows each register answer with its status and attempts, and flags what differs from the declaration', async () => {
    const res = await page(caseworker, 'en').expect(200);
    expect(res.text).toContain('Register checks');
    const income = card(res.text, 'income');
    expect(income).toContain('data-status="ok" data-attempts="3"');
    expect(income).toContain('3 attempts');
    expect(income).toContain('data-flag="amount_differs"');
    expect(income).toContain('€1,500.00');
    expect(card(res.text, 'assistance')).toMatch(
      /data-flag="assistance_elsewhere">[^<]*Jelgava, Housing benefit/,
    );
    const household = card(res.text, 'population');
    expect(household.match(/data-flag="resident_not_declared"/g)).toHaveLength(2);
    expect(card(res.text, 'vehicles')).toContain('data-status="unavailable" data-attempts="4"');
  });

  it('is in Latvian and Greek too', async () => {
    const lv = await page(caseworker, 'lv').expect(200);
    expect(lv.text).toContain('Reģistru pārbaudes');
    expect(lv.text).toContain('Palīdzība pieprasīta vai piešķirta citā pašvaldībā');
    expect(lv.text).toContain('3 mēģinājumi');
    const el = await page(caseworker, 'el').expect(200);
    expect(el.text).toContain('Έλεγχοι μητρώων');
    expect(el.text).toContain('Παροχή που ζητήθηκε ή χορηγήθηκε σε άλλο δήμο');
  });

  it('records the read as a read of each person the register answers name', async () => {
    await page(caseworker, 'en').expect(200);
    for (const code of [P.ilze.code, P.karlis.code, P.emilija.code, P.andris.code]) {
      const [{ n }] = await tenantQuery<{ n: number }>(
        mun,
        `SELECT count(*)::int AS n FROM audit_log a JOIN persons p ON p.id::text = a.person_id::text
          WHERE a.action = 'case.read' AND a.subject_id = $1 AND p.personal_code = $2`,
        [caseId, code],
      );
      expect(n).toBeGreaterThan(0);
    }
  });

  it('keeps register answers to their municipality: other staff cannot open them, RLS hides the rows', async () => {
    await page(caseworkerB, 'en').expect(404);
    const [{ n: mine }] = await tenantQuery<{ n: number }>(
      mun,
      `SELECT count(*)::int AS n FROM register_checks WHERE case_id = $1`,
      [caseId],
    );
    expect(mine).toBe(4);
    const [{ n: theirs }] = await tenantQuery<{ n: number }>(
      other,
      `SELECT count(*)::int AS n FROM register_checks WHERE case_id = $1`,
      [caseId],
    );
    expect(theirs).toBe(0);
    // A check naming another municipality's case is refused by the database, not stored.
    await expect(
      acts.checkDisabilityRegister({
        caseId,
        municipalityId: other,
        personalCode: P.inta.code,
        asOf: '2026-11-20',
      }),
    ).rejects.toThrow();
    const [{ n: after }] = await tenantQuery<{ n: number }>(
      other,
      `SELECT count(*)::int AS n FROM register_checks`,
    );
    expect(after).toBe(0);
  });

  it('refuses a check with malformed input with field errors, storing nothing', async () => {
    await expect(
      acts.checkEmploymentRegister({
        caseId: 'x',
        municipalityId: mun,
        personalCode: '12',
        asOf: '2026-13-40',
      }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [
        { field: 'caseId', message: 'registers:check.invalid' },
        { field: 'personalCode', message: 'registers:check.invalid' },
      ],
    });
  });
});
