import type { INestApplication } from '@nestjs/common';
import {
  ASSISTANCE_REGISTER,
  type AssistanceRegister,
} from '../../../src/integrations/assistance/assistance-register.port';
import { AssistanceRegisterGateway } from '../../../src/integrations/assistance/assistance-register.gateway';
import {
  DISABILITY_REGISTER,
  type DisabilityRegister,
} from '../../../src/integrations/disability/disability-register.port';
import { DisabilityRegisterGateway } from '../../../src/integrations/disability/disability-register.gateway';
import {
  EMPLOYMENT_REGISTER,
  type EmploymentRegister,
} from '../../../src/integrations/employment/employment-register.port';
import { EmploymentRegisterGateway } from '../../../src/integrations/employment/employment-register.gateway';
import {
  INCOME_REGISTER,
  type IncomeRegister,
} from '../../../src/integrations/income/income-register.port';
import { IncomeRegisterGateway } from '../../../src/integrations/income/income-register.gateway';
import {
  POPULATION_REGISTER,
  type PopulationRegister,
} from '../../../src/integrations/population/population-register.port';
import {
  PROPERTY_REGISTER,
  type PropertyRegister,
} from '../../../src/integrations/property/property-register.port';
import { P } from '../../../src/integrations/sim/demo-residents';
import { RegisterGatewayConfig } from '../../../src/integrations/sim/gateway-config';
import { Simulators } from '../../../src/integrations/sim/simulators';
import { withheldCents } from '../../../src/integrations/sim/social-records-generator';
import {
  SOCIAL_INSURANCE_REGISTER,
  type SocialInsuranceRegister,
} from '../../../src/integrations/social-insurance/social-insurance-register.port';
import { SocialInsuranceRegisterGateway } from '../../../src/integrations/social-insurance/social-insurance-register.gateway';
import {
  VEHICLE_REGISTER,
  type VehicleRegister,
} from '../../../src/integrations/vehicles/vehicle-register.port';
import { VehicleRegisterGateway } from '../../../src/integrations/vehicles/vehicle-register.gateway';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import { createTestApp, ownerQuery, seedStandardPopulation } from './support';

/** What a promise rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<DomainError> {
  const e: unknown = await p.then(
    () => new Error('resolved'),
    (x: unknown) => x,
  );
  if (!(e instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(e)}`);
  return e;
}

describe('means-test register simulators over their ports (PostgreSQL, standard population + demo residents)', () => {
  let app: INestApplication;
  let vsaa: SocialInsuranceRegister;
  let vid: IncomeRegister;
  let nva: EmploymentRegister;
  let vdeavk: DisabilityRegister;
  let csdd: VehicleRegister;
  let spolis: AssistanceRegister;
  let population: PopulationRegister;
  let property: PropertyRegister;
  let sims: Simulators;

  beforeAll(async () => {
    await seedStandardPopulation();
    app = await createTestApp();
    vsaa = app.get(SOCIAL_INSURANCE_REGISTER);
    vid = app.get(INCOME_REGISTER);
    nva = app.get(EMPLOYMENT_REGISTER);
    vdeavk = app.get(DISABILITY_REGISTER);
    csdd = app.get(VEHICLE_REGISTER);
    spolis = app.get(ASSISTANCE_REGISTER);
    population = app.get(POPULATION_REGISTER);
    property = app.get(PROPERTY_REGISTER);
    sims = app.get(Simulators);
  });
  afterAll(() => app.close());
  afterEach(() => sims.resetAll());

  it('VSAA: a pensioner is paid the pension in every month of the period, in cents', async () => {
    const s = await vsaa.getPayments(P.valdis.code, { from: '2026-09', to: '2026-11' });
    expect(s.payments).toEqual(
      ['2026-09', '2026-10', '2026-11'].map((month) => ({
        month,
        kind: 'old_age_pension',
        amountCents: 48_350,
      })),
    );
    expect(s.totalCents).toBe(145_050);
    expect(s.benefits).toEqual([
      { kind: 'old_age_pension', monthlyCents: 48_350, validFrom: '2022-09-14', validTo: null },
    ]);
  });

  it('VSAA: an unemployment benefit starts with the registration month', async () => {
    const s = await vsaa.getPayments(P.liga.code, { from: '2026-05', to: '2026-07' });
    expect(s.payments).toEqual([
      { month: '2026-07', kind: 'unemployment_benefit', amountCents: 28_700 },
    ]);
  });

  it('VSAA refuses a malformed or over-long period with a field error, before any call', async () => {
    const calls = sims.faults('social-insurance').status().calls;
    const e = await rejection(vsaa.getPayments(P.valdis.code, { from: '2026-13', to: '2026-12' }));
    expect(e.code).toBe(ErrorCode.ValidationFailed);
    expect(e.fields).toEqual([{ field: 'from', message: 'registers:period.invalid' }]);
    const long = await rejection(
      vsaa.getPayments(P.valdis.code, { from: '2020-01', to: '2026-12' }),
    );
    expect(long.fields[0].field).toBe('to');
    expect(sims.faults('social-insurance').status().calls).toBe(calls);
  });

  it('VID: monthly employment income per employer, net = gross − withheld, none after the job ended', async () => {
    const s = await vid.getEmploymentIncome(P.liga.code, { from: '2026-05', to: '2026-07' });
    const net = 95_000 - withheldCents(95_000);
    expect(s.months).toEqual(
      ['2026-05', '2026-06'].map((month) => ({
        month,
        employerCode: '40003011111',
        employerName: 'SIA "Kurzemes maiznīca"',
        grossCents: 95_000,
        taxCents: withheldCents(95_000),
        netCents: net,
      })),
    );
    expect(s.totalNetCents).toBe(2 * net);
    expect(s.totalGrossCents).toBe(190_000);
  });

  it('NVA: registered unemployed since the registration date, not before it', async () => {
    expect(await nva.getUnemploymentStatus(P.liga.code, '2026-12-01')).toEqual({
      unemployed: true,
      since: '2026-07-06',
      history: [{ from: '2026-07-06', to: null }],
    });
    expect((await nva.getUnemploymentStatus(P.liga.code, '2026-07-01')).unemployed).toBe(false);
    expect((await nva.getUnemploymentStatus(P.janis.code, '2026-12-01')).unemployed).toBe(false);
    const e = await rejection(nva.getUnemploymentStatus(P.liga.code, '1.12.2026'));
    expect(e.fields).toEqual([{ field: 'onDate', message: 'registers:date.invalid' }]);
  });

  it('VDEĀVK: group and validity on a date; nothing after it ends', async () => {
    expect(await vdeavk.getDisability(P.inta.code, '2026-12-01')).toEqual({
      disabled: true,
      kind: 'adult',
      group: 2,
      validFrom: '2024-03-01',
      validUntil: '2027-02-28',
    });
    expect((await vdeavk.getDisability(P.inta.code, '2027-03-01')).disabled).toBe(false);
  });

  it('CSDD: the vehicles a person owns on a date', async () => {
    const cars = await csdd.listOwnedBy(P.guntis.code, '2026-12-01');
    expect(cars.map((c) => c.registrationNumber)).toEqual(['DG-7002', 'DG-7001']);
    expect(await csdd.listOwnedBy(P.janis.code, '2021-05-09')).toEqual([]);
    expect((await csdd.listOwnedBy(P.janis.code, '2026-12-01'))[0]).toMatchObject({
      registrationNumber: 'DJ-1234',
      make: 'Škoda',
    });
  });

  it('property: the demo flat owner holds it in the cadastre and land register', async () => {
    const owned = await property.listOwnedBy(P.janis.code);
    expect(owned.map((p) => p.addressCode)).toEqual(['800000011']);
  });

  it('SPOLIS: an entry in another municipality in the period; a report is entered once however often it is repeated', async () => {
    const rows = await spolis.listForPerson(P.ilze.code, '2026-11-01', '2026-11-30');
    expect(rows).toEqual([
      {
        municipality: 'Jelgava',
        benefit: 'housing',
        status: 'granted',
        decidedOn: '2026-09-24',
        periodFrom: '2026-10-01',
        periodTo: '2026-12-31',
        monthlyCents: 8500,
      },
    ]);
    expect(await spolis.listForPerson(P.ilze.code, '2027-02-01', '2027-02-28')).toEqual([]);
    const entry = {
      requestRef: `test:${Date.now()}`,
      personalCode: P.edgars.code,
      municipality: 'Tukuma novads',
      benefit: 'gmi' as const,
      status: 'granted' as const,
      decidedOn: '2026-12-01',
      periodFrom: '2026-12-01',
      periodTo: '2027-02-28',
      monthlyCents: 12_300,
    };
    await spolis.report(entry);
    await spolis.report(entry);
    const [{ n }] = await ownerQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM sim_assistance_records WHERE ref = $1`,
      [`report:${entry.requestRef}`],
    );
    expect(n).toBe(1);
    const bad = await rejection(spolis.report({ ...entry, benefit: 'cash' as never }));
    expect(bad.fields).toEqual([{ field: 'benefit', message: 'registers:assistance.invalid' }]);
  });

  it('the generated records belong to the population: every code is a register person, pensions stop at death', async () => {
    const orphans = await ownerQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT personal_code FROM sim_social_insurance_benefits UNION ALL SELECT personal_code FROM sim_employment_income
         UNION ALL SELECT personal_code FROM sim_unemployment_spells UNION ALL SELECT personal_code FROM sim_disabilities
         UNION ALL SELECT owner_code FROM sim_vehicles UNION ALL SELECT personal_code FROM sim_assistance_records WHERE ref LIKE 'g:%'
       ) x WHERE NOT EXISTS (SELECT 1 FROM sim_persons p WHERE p.personal_code = x.personal_code)`,
    );
    expect(orphans[0].n).toBe(0);
    const counts = await ownerQuery<{ t: string; n: number }>(
      `SELECT 'vsaa' AS t, count(*)::int AS n FROM sim_social_insurance_benefits UNION ALL
       SELECT 'vid', count(*)::int FROM sim_employment_income UNION ALL SELECT 'nva', count(*)::int FROM sim_unemployment_spells UNION ALL
       SELECT 'vdeavk', count(*)::int FROM sim_disabilities UNION ALL SELECT 'csdd', count(*)::int FROM sim_vehicles UNION ALL
       SELECT 'spolis', count(*)::int FROM sim_assistance_records`,
    );
    for (const c of counts) expect(c.n).toBeGreaterThan(0);
    const [dead] = await ownerQuery<{ code: string; died: string; to: string }>(
      `SELECT p.personal_code AS code, to_char(p.deceased_on, 'YYYY-MM-DD') AS died, to_char(b.valid_to, 'YYYY-MM-DD') AS "to"
         FROM sim_persons p JOIN sim_social_insurance_benefits b ON b.personal_code = p.personal_code AND b.kind = 'old_age_pension'
        WHERE p.deceased_on IS NOT NULL ORDER BY p.personal_code LIMIT 1`,
    );
    expect(dead.to).toBe(dead.died);
    expect((await population.getPerson(dead.code))?.deceasedOn).toBe(dead.died);
  });

  it('fails N times then recovers; times out on request; waits within a latency range', async () => {
    sims.faults('income').set({ failNext: 2 });
    const period = { from: '2026-09', to: '2026-11' };
    for (let i = 0; i < 2; i++)
      expect((await rejection(vid.getEmploymentIncome(P.janis.code, period))).code).toBe(
        ErrorCode.ExternalUnavailable,
      );
    expect((await vid.getEmploymentIncome(P.janis.code, period)).months).toHaveLength(3);

    sims.faults('vehicles').set({ timeoutNext: 1, timeoutMs: 50 });
    const t = await rejection(csdd.listOwnedBy(P.janis.code, '2026-12-01'));
    expect(t.code).toBe(ErrorCode.ExternalTimeout);
    expect(t.retryable).toBe(true);

    sims.faults('employment').set({ latencyMs: 50, latencyMaxMs: 300 });
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await nva.getUnemploymentStatus(P.liga.code, '2026-12-01');
      const ms = performance.now() - started;
      expect(ms).toBeGreaterThanOrEqual(49);
      expect(ms).toBeLessThan(2000);
    }
    expect(sims.faults('employment').status()).toMatchObject({ calls: 3, failed: 0 });
  });

  it('the gateways refuse clearly until configured, naming the register and what is missing', async () => {
    const cfg = new RegisterGatewayConfig(undefined, undefined, 'CIVITAS', 1000);
    const calls: [string, Promise<unknown>][] = [
      [
        'social-insurance',
        new SocialInsuranceRegisterGateway(cfg).getPayments(P.janis.code, {
          from: '2026-01',
          to: '2026-03',
        }),
      ],
      [
        'income',
        new IncomeRegisterGateway(cfg).getEmploymentIncome(P.janis.code, {
          from: '2026-01',
          to: '2026-03',
        }),
      ],
      [
        'employment',
        new EmploymentRegisterGateway(cfg).getUnemploymentStatus(P.janis.code, '2026-01-01'),
      ],
      ['disability', new DisabilityRegisterGateway(cfg).getDisability(P.janis.code, '2026-01-01')],
      ['vehicles', new VehicleRegisterGateway(cfg).listOwnedBy(P.janis.code, '2026-01-01')],
      [
        'assistance',
        new AssistanceRegisterGateway(cfg).listForPerson(P.janis.code, '2026-01-01', '2026-03-31'),
      ],
    ];
    for (const [register, call] of calls) {
      const e = await rejection(call);
      expect(e.code).toBe(ErrorCode.Misconfigured);
      expect(e.retryable).toBe(false);
      expect(e.message).toContain(`${register} register gateway is not available`);
      expect(e.message).toContain('REGISTER_GATEWAY_URL, REGISTER_GATEWAY_CERT_PATH');
    }
  });
});
