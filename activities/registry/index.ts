import type {
  AssistanceRecord,
  AssistanceRegister,
} from '../../src/integrations/assistance/assistance-register.port';
import type {
  DisabilityRegister,
  DisabilityStatus,
} from '../../src/integrations/disability/disability-register.port';
import type {
  EmploymentRegister,
  UnemploymentStatus,
} from '../../src/integrations/employment/employment-register.port';
import type {
  IncomeRegister,
  IncomeStatement,
} from '../../src/integrations/income/income-register.port';
import type { PopulationRegister } from '../../src/integrations/population/population-register.port';
import type {
  PropertyRegister,
  RegisterProperty,
} from '../../src/integrations/property/property-register.port';
import { fullMonthsBefore, type MonthRange } from '../../src/integrations/sim/months';
import type {
  SocialInsuranceRegister,
  SocialInsuranceStatement,
} from '../../src/integrations/social-insurance/social-insurance-register.port';
import type {
  RegisteredVehicle,
  VehicleRegister,
} from '../../src/integrations/vehicles/vehicle-register.port';
import type { TenantDb } from '../../src/platform/tenancy/tenant-db';
import type {
  DeclaredAmount,
  DeclaredDisability,
  DeclaredHousehold,
  DeclaredIncome,
  DeclaredProperty,
  DeclaredUnemployment,
  DeclaredVehicles,
  RegisterCheckFlag,
  RegisterCheckInput,
} from '../../workflows/kit/register-checks';
import { registerCheck } from './register-check';

export { registerCheck, type RegisterCheckSpec } from './register-check';

export interface RegisterCheckPorts {
  tenantDb: TenantDb;
  population: PopulationRegister;
  property: PropertyRegister;
  socialInsurance: SocialInsuranceRegister;
  income: IncomeRegister;
  employment: EmploymentRegister;
  disability: DisabilityRegister;
  vehicles: VehicleRegister;
  assistance: AssistanceRegister;
}

export interface HouseholdResident {
  personalCode: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  deceasedOn: string | null;
}

export interface HouseholdResult {
  /** The applicant's declared residence (null: none declared). */
  addressCode: string | null;
  declaredSince: string | null;
  /** Everyone declared at that address. */
  residents: HouseholdResident[];
  /** Declared household members the register has elsewhere (or not at all: null). */
  elsewhere: (HouseholdResident & { known: boolean })[];
}

export interface AssistanceResult {
  /** This municipality as the address register names it (null: no territory configured). */
  homeMunicipality: string | null;
  from: string;
  records: AssistanceRecord[];
}

const periodOf = (i: RegisterCheckInput<unknown>): MonthRange =>
  fullMonthsBefore(i.asOf, i.months ?? 3);

/** Each of `register` not in `declared`, and each of `declared` not in `register`, as flags. */
function setDifference(
  declared: string[] | undefined,
  register: string[],
  notDeclared: string,
  notInRegister: string,
): RegisterCheckFlag[] {
  if (!declared) return [];
  const d = new Set(declared);
  const r = new Set(register);
  return [
    ...register.filter((x) => !d.has(x)).map((x) => ({ code: notDeclared, register: x })),
    ...declared.filter((x) => !r.has(x)).map((x) => ({ code: notInRegister, declared: x })),
  ];
}

const differs = (code: string, declared: unknown, register: unknown): RegisterCheckFlag[] =>
  declared === undefined || declared === register ? [] : [{ code, declared, register }];

/**
 * The register checks of a means test (social assistance), one activity per register: each asks
 * its register about one person, stores the answer with the case (register_checks) and flags any
 * difference from the values the process declares. Parallel-safe: each writes its own row.
 */
export function createRegisterCheckActivities(p: RegisterCheckPorts) {
  const { tenantDb } = p;

  const household = registerCheck<HouseholdResult, DeclaredHousehold>(tenantDb, {
    register: 'population',
    request: (i) => ({ asOf: i.asOf, members: i.declared?.members?.length ?? null }),
    async call(i) {
      const residence = await p.population.getDeclaredResidence(i.personalCode);
      const residents = residence ? await p.population.listDeclaredAt(residence.addressCode) : [];
      const here = new Set(residents.map((r) => r.personalCode));
      const elsewhere = await Promise.all(
        (i.declared?.members ?? [])
          .filter((c) => !here.has(c))
          .map(async (c) => {
            const person = await p.population.getPerson(c);
            return person
              ? { ...resident(person), known: true }
              : {
                  personalCode: c,
                  givenName: '',
                  familyName: '',
                  birthDate: '',
                  deceasedOn: null,
                  known: false,
                };
          }),
      );
      return {
        addressCode: residence?.addressCode ?? null,
        declaredSince: residence?.validFrom ?? null,
        residents: residents.map(resident),
        elsewhere,
      };
    },
    compare(r, declared, i) {
      const flags: RegisterCheckFlag[] = [];
      if (declared?.addressCode !== undefined && declared.addressCode !== r.addressCode)
        flags.push({
          code: 'address_differs',
          declared: declared.addressCode,
          register: r.addressCode,
        });
      if (declared?.members) {
        const members = new Set(declared.members);
        for (const x of r.residents)
          if (x.personalCode !== i.personalCode && !members.has(x.personalCode) && !x.deceasedOn)
            flags.push({ code: 'resident_not_declared', personalCode: x.personalCode });
        for (const x of r.elsewhere)
          flags.push({
            code: x.known ? 'member_not_at_address' : 'member_unknown',
            personalCode: x.personalCode,
          });
      }
      for (const x of [...r.residents, ...r.elsewhere])
        if (x.deceasedOn)
          flags.push({ code: 'deceased', personalCode: x.personalCode, register: x.deceasedOn });
      return flags;
    },
  });

  const socialInsurance = registerCheck<SocialInsuranceStatement, DeclaredAmount>(tenantDb, {
    register: 'social-insurance',
    request: (i) => ({ period: periodOf(i) }),
    call: (i) => p.socialInsurance.getPayments(i.personalCode, periodOf(i)),
    compare: (r, d) => differs('amount_differs', d?.totalCents, r.totalCents),
  });

  const income = registerCheck<IncomeStatement, DeclaredIncome>(tenantDb, {
    register: 'income',
    request: (i) => ({ period: periodOf(i) }),
    call: (i) => p.income.getEmploymentIncome(i.personalCode, periodOf(i)),
    compare: (r, d) => [
      ...differs('amount_differs', d?.totalNetCents, r.totalNetCents),
      ...setDifference(
        d?.employerCodes,
        [...new Set(r.months.map((m) => m.employerCode))],
        'employer_not_declared',
        'employer_not_in_register',
      ),
    ],
  });

  const employment = registerCheck<UnemploymentStatus, DeclaredUnemployment>(tenantDb, {
    register: 'employment',
    request: (i) => ({ onDate: i.asOf }),
    call: (i) => p.employment.getUnemploymentStatus(i.personalCode, i.asOf),
    compare: (r, d) => differs('status_differs', d?.unemployed, r.unemployed),
  });

  const disability = registerCheck<DisabilityStatus, DeclaredDisability>(tenantDb, {
    register: 'disability',
    request: (i) => ({ onDate: i.asOf }),
    call: (i) => p.disability.getDisability(i.personalCode, i.asOf),
    compare: (r, d) =>
      d?.group === undefined ||
      d.group === r.group ||
      (d.group === null && !r.disabled && r.group === null)
        ? []
        : [
            {
              code: 'status_differs',
              declared: d.group,
              register: r.disabled ? (r.group ?? r.kind) : null,
            },
          ],
  });

  const property = registerCheck<{ properties: RegisterProperty[] }, DeclaredProperty>(tenantDb, {
    register: 'property',
    request: (i) => ({ onDate: i.asOf }),
    call: async (i) => ({ properties: await p.property.listOwnedBy(i.personalCode) }),
    compare: (r, d) =>
      setDifference(
        d?.cadastralNumbers,
        r.properties.map((x) => x.cadastralNumber),
        'property_not_declared',
        'property_not_in_register',
      ),
  });

  const vehicles = registerCheck<{ vehicles: RegisteredVehicle[] }, DeclaredVehicles>(tenantDb, {
    register: 'vehicles',
    request: (i) => ({ onDate: i.asOf }),
    call: async (i) => ({ vehicles: await p.vehicles.listOwnedBy(i.personalCode, i.asOf) }),
    compare: (r, d) =>
      setDifference(
        d?.registrationNumbers,
        r.vehicles.map((v) => v.registrationNumber),
        'vehicle_not_declared',
        'vehicle_not_in_register',
      ),
  });

  const assistance = registerCheck<AssistanceResult, Record<string, unknown>>(tenantDb, {
    register: 'assistance',
    request: (i) => ({ from: `${fullMonthsBefore(i.asOf, 12).from}-01`, to: i.asOf }),
    async call(i) {
      const from = `${fullMonthsBefore(i.asOf, 12).from}-01`;
      const [territory] = (await tenantDb.run(i.municipalityId, (em) =>
        em.query(
          `SELECT register_municipality FROM residence_territories WHERE municipality_id = $1`,
          [i.municipalityId],
        ),
      )) as { register_municipality: string }[];
      const records = await p.assistance.listForPerson(i.personalCode, from, i.asOf);
      return { homeMunicipality: territory?.register_municipality ?? null, from, records };
    },
    // The duplicate check: assistance in force on the date (or applied for) in another municipality.
    compare: (r, _d, i) =>
      r.records
        .filter(
          (x) =>
            x.municipality !== r.homeMunicipality &&
            x.status !== 'refused' &&
            (x.periodTo === null || x.periodTo >= i.asOf),
        )
        .map((x) => ({
          code: 'assistance_elsewhere',
          register: {
            municipality: x.municipality,
            benefit: x.benefit,
            status: x.status,
            periodTo: x.periodTo,
          },
        })),
  });

  return {
    checkHouseholdRegister: household,
    checkSocialInsuranceRegister: socialInsurance,
    checkIncomeRegister: income,
    checkEmploymentRegister: employment,
    checkDisabilityRegister: disability,
    checkPropertyRegister: property,
    checkVehicleRegister: vehicles,
    checkAssistanceRegister: assistance,
  };
}

export type RegisterCheckActivities = ReturnType<typeof createRegisterCheckActivities>;

const resident = (x: {
  personalCode: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  deceasedOn: string | null;
}): HouseholdResident => ({
  personalCode: x.personalCode,
  givenName: x.givenName,
  familyName: x.familyName,
  birthDate: x.birthDate,
  deceasedOn: x.deceasedOn,
});
