import { DataSource } from 'typeorm';
import type { AnyProcess } from '../../workflows';
import { createRegisterCheckActivities } from '../../activities/registry';
import { AssistanceRegisterSimulator } from '../../src/integrations/assistance/assistance-register.simulator';
import { DisabilityRegisterSimulator } from '../../src/integrations/disability/disability-register.simulator';
import { EmploymentRegisterSimulator } from '../../src/integrations/employment/employment-register.simulator';
import { IncomeRegisterSimulator } from '../../src/integrations/income/income-register.simulator';
import { PopulationRegisterSimulator } from '../../src/integrations/population/population-register.simulator';
import { PropertyRegisterSimulator } from '../../src/integrations/property/property-register.simulator';
import { P } from '../../src/integrations/sim/demo-residents';
import { SocialInsuranceRegisterSimulator } from '../../src/integrations/social-insurance/social-insurance-register.simulator';
import { VehicleRegisterSimulator } from '../../src/integrations/vehicles/vehicle-register.simulator';
import { loadConfig } from '../../src/config/config';
import { dataSourceOptions } from '../../src/platform/database/data-source-options';
import { TenantDb } from '../../src/platform/tenancy/tenant-db';
import type { RegisterCheckOutcome } from '../../workflows/kit/register-checks';
import { caseRow, runFinished, startHarness, type Harness } from '../support/engine-harness';
import { registerCheckProbe, type ProbeInput } from '../support/register-check-probe';
import { createMunicipality } from '../factories/municipalities';
import { seedStandardPopulation, tenantQuery } from '../integration/registers/support';

jest.setTimeout(120_000);

let h: Harness;
let ds: DataSource;
let mun: string;
const sims = {} as {
  income: IncomeRegisterSimulator;
  assistance: AssistanceRegisterSimulator;
  vehicles: VehicleRegisterSimulator;
};

beforeAll(async () => {
  await seedStandardPopulation();
  ds = new DataSource(dataSourceOptions(loadConfig().DATABASE_URL, { extra: { max: 5 } }));
  await ds.initialize();
  sims.income = new IncomeRegisterSimulator(ds);
  sims.assistance = new AssistanceRegisterSimulator(ds);
  sims.vehicles = new VehicleRegisterSimulator(ds);
  const acts = createRegisterCheckActivities({
    tenantDb: new TenantDb(ds),
    population: new PopulationRegisterSimulator(ds),
    property: new PropertyRegisterSimulator(ds),
    socialInsurance: new SocialInsuranceRegisterSimulator(ds),
    income: sims.income,
    employment: new EmploymentRegisterSimulator(ds),
    disability: new DisabilityRegisterSimulator(ds),
    vehicles: sims.vehicles,
    assistance: sims.assistance,
  });
  h = await startHarness({
    extraProcesses: [registerCheckProbe] as unknown as AnyProcess[],
    extraActivities: acts,
  });
  mun = (await createMunicipality(h.ds)).id;
  await tenantQuery(
    mun,
    `INSERT INTO residence_territories (municipality_id, register_municipality) VALUES ($1, 'Tukuma novads')`,
    [mun],
  );
});
afterAll(async () => {
  await h?.close();
  await ds?.destroy();
});

interface Row {
  register: string;
  status: string;
  attempts: number;
  flags: { code: string; personalCode?: string; declared?: unknown; register?: unknown }[];
  result: Record<string, unknown> | null;
}
const rowsOf = (caseId: string) =>
  tenantQuery<Row>(
    mun,
    `SELECT register, status, attempts, flags, result FROM register_checks WHERE case_id = $1 ORDER BY register`,
    [caseId],
  );

async function run(input: Omit<ProbeInput, 'municipalityId'>) {
  const c = await caseRow(h, mun, 'register-check-probe');
  await h.engine.start('register-check-probe', c.id, { ...input, municipalityId: mun });
  const d = await runFinished(h.engine, c.id, 60_000);
  return {
    caseId: c.id,
    status: d.status,
    outcomes: (d as { result?: unknown }).result as RegisterCheckOutcome[],
  };
}

describe('register checks run in parallel by a process on DBOS', () => {
  afterEach(() => {
    sims.income.faults.reset();
    sims.assistance.faults.reset();
    sims.vehicles.faults.reset();
  });

  it('retries a register that fails twice then recovers: the case keeps its answer as ok after 3 attempts', async () => {
    sims.income.faults.set({ failNext: 2 });
    const r = await run({
      applicant: P.liga.code,
      asOf: '2026-08-15',
      declared: { netIncomeCents: 0, unemployed: true, benefitsCents: 28_700 },
    });
    expect(r.status).toBe('completed');
    const rows = await rowsOf(r.caseId);
    expect(rows.map((x) => x.register)).toEqual([
      'assistance',
      'disability',
      'employment',
      'income',
      'population',
      'property',
      'social-insurance',
      'vehicles',
    ]);
    const income = rows.find((x) => x.register === 'income')!;
    expect(income).toMatchObject({ status: 'ok', attempts: 3 });
    expect(sims.income.faults.status()).toMatchObject({ calls: 3, failed: 2 });
    // She declared no earnings for May–July; VID has May and June from the bakery.
    expect(income.flags).toEqual([
      {
        code: 'amount_differs',
        declared: 0,
        register: (income.result as { totalNetCents: number }).totalNetCents,
      },
    ]);
    expect(
      rows
        .filter((x) => x.register !== 'income')
        .every((x) => x.status === 'ok' && x.attempts === 1),
    ).toBe(true);
    expect(rows.find((x) => x.register === 'employment')!.flags).toEqual([]);
    expect(rows.find((x) => x.register === 'social-insurance')!.flags).toEqual([]);
  });

  it('flags undeclared household members, undeclared vehicles and assistance in another municipality', async () => {
    const r = await run({
      applicant: P.andris.code,
      asOf: '2026-11-20',
      declared: { members: [P.ilze.code], vehicles: ['DX-1'] },
    });
    const rows = await rowsOf(r.caseId);
    const household = rows.find((x) => x.register === 'population')!;
    expect(household.flags).toEqual(
      expect.arrayContaining([
        { code: 'resident_not_declared', personalCode: P.karlis.code },
        { code: 'resident_not_declared', personalCode: P.emilija.code },
      ]),
    );
    expect(rows.find((x) => x.register === 'vehicles')!.flags).toEqual([
      { code: 'vehicle_not_in_register', declared: 'DX-1' },
    ]);
    // Andris himself holds nothing elsewhere: Ilze's Jelgava entry shows in her own check.
    expect(rows.find((x) => x.register === 'assistance')!.flags).toEqual([]);
  });

  it('a register that stays down is recorded unavailable after its attempts; the others still answer', async () => {
    sims.assistance.faults.set({ down: true });
    const r = await run({ applicant: P.ilze.code, asOf: '2026-11-20', declared: {} });
    expect(r.status).toBe('completed');
    const rows = await rowsOf(r.caseId);
    expect(rows.find((x) => x.register === 'assistance')).toMatchObject({
      status: 'unavailable',
      attempts: 8,
      result: null,
    });
    expect(rows.filter((x) => x.status === 'ok')).toHaveLength(7);
    expect(r.outcomes.filter((o) => o === null)).toHaveLength(1);
  });
});
