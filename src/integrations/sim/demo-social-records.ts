import type { DemoPerson, P as People, Sql } from './demo-residents';
import { withheldCents } from './social-records-generator';

/**
 * What the means-test registers say about the demo residents, so a social-assistance application
 * by any of them meets consistent answers (amounts in cents, per month):
 *
 * - Valdis and Rasma Bērziņš (Jānis's parents, the farm): old-age pensioners.
 * - Līga Kalniņa: lost her bakery job in June 2026, registered unemployed since 6 July 2026 with a
 *   small unemployment benefit (low income, one person).
 * - Jānis Bērziņš: employed, owns a car (and the flat he bought: the property register already has it).
 * - The Ozols household: Andris works for low pay, the children get the family state benefit, and
 *   Ilze holds a housing benefit granted by Jelgava (another municipality: the duplicate check flags it).
 * - Inta Kļaviņa: disability group 2 until February 2027, with a disability pension; Guntis Čakste
 *   owns two cars.
 */
const ref = (p: DemoPerson, what: string): string => `demo:${p.code}:${what}`;

const benefits = (P: typeof People): [DemoPerson, string, number, string, string | null][] => [
  [P.valdis, 'old_age_pension', 48_350, '2022-09-14', null],
  [P.rasma, 'old_age_pension', 39_120, '2024-02-03', null],
  [P.liga, 'unemployment_benefit', 28_700, '2026-07-06', '2027-03-05'],
  [P.karlis, 'family_state_benefit', 2_500, '2013-08-30', '2030-08-30'],
  [P.emilija, 'family_state_benefit', 2_500, '2016-12-09', '2033-12-09'],
  [P.roberts, 'family_state_benefit', 2_500, '2017-06-02', '2034-06-02'],
  [P.inta, 'disability_pension', 21_500, '2024-03-01', null],
];

const jobs = (P: typeof People): [DemoPerson, string, string, number, string, string | null][] => [
  [P.janis, '40003033333', 'SIA "Tukuma Auto"', 185_000, '2015-03-01', null],
  [P.liga, '40003011111', 'SIA "Kurzemes maiznīca"', 95_000, '2021-02-01', '2026-06-30'],
  [P.andris, '40003022222', 'AS "Latvijas Loģistika"', 112_000, '2018-04-16', null],
  [P.peteris, '90000098765', 'Tukuma novada pašvaldība', 164_000, '2009-09-01', null],
  [P.guntis, '40003066666', 'SIA "Baltijas IT Risinājumi"', 310_000, '2012-01-09', null],
];

const vehicles = (P: typeof People): [DemoPerson, string, string, string, number, string][] => [
  [P.janis, 'DJ-1234', 'Škoda', 'Octavia', 2019, '2021-05-10'],
  [P.guntis, 'DG-7001', 'Volvo', 'XC60', 2022, '2022-03-15'],
  [P.guntis, 'DG-7002', 'Toyota', 'Hilux', 2018, '2019-07-01'],
];

const TABLES = [
  ['sim_social_insurance_benefits', 'personal_code'],
  ['sim_employment_income', 'personal_code'],
  ['sim_unemployment_spells', 'personal_code'],
  ['sim_disabilities', 'personal_code'],
  ['sim_vehicles', 'owner_code'],
  ['sim_assistance_records', 'personal_code'],
] as const;

/** Idempotent: generated records of demo codes give way to these; what the app reported stays. */
export async function writeDemoSocialRecords(sql: Sql, P: typeof People): Promise<void> {
  const DEMO_CODES = Object.values(P).map((p) => p.code);
  const json = (rows: unknown[]): string => JSON.stringify(rows);
  for (const [table, col] of TABLES)
    await sql(`DELETE FROM ${table} WHERE ${col} = ANY($1::text[]) AND ref LIKE 'g:%'`, [
      DEMO_CODES,
    ]);
  await sql(
    `INSERT INTO sim_social_insurance_benefits (ref, personal_code, kind, monthly_cents, valid_from, valid_to)
     SELECT ref, code, kind, cents, "from", "to" FROM jsonb_to_recordset($1::jsonb)
       AS v(ref text, code text, kind text, cents int, "from" date, "to" date) ON CONFLICT (ref) DO NOTHING`,
    [
      json(
        benefits(P).map(([p, kind, cents, from, to]) => ({
          ref: ref(p, kind),
          code: p.code,
          kind,
          cents,
          from,
          to,
        })),
      ),
    ],
  );
  await sql(
    `INSERT INTO sim_employment_income (ref, personal_code, employer_code, employer_name, gross_cents, tax_cents, valid_from, valid_to)
     SELECT ref, code, employer, name, gross, tax, "from", "to" FROM jsonb_to_recordset($1::jsonb)
       AS v(ref text, code text, employer text, name text, gross int, tax int, "from" date, "to" date) ON CONFLICT (ref) DO NOTHING`,
    [
      json(
        jobs(P).map(([p, employer, name, gross, from, to]) => ({
          ref: ref(p, `job:${employer}`),
          code: p.code,
          employer,
          name,
          gross,
          tax: withheldCents(gross),
          from,
          to,
        })),
      ),
    ],
  );
  await sql(
    `INSERT INTO sim_unemployment_spells (ref, personal_code, registered_from, registered_to)
     VALUES ($1, $2, '2026-07-06', NULL) ON CONFLICT (ref) DO NOTHING`,
    [ref(P.liga, 'unemployed'), P.liga.code],
  );
  await sql(
    `INSERT INTO sim_disabilities (ref, personal_code, kind, disability_group, valid_from, valid_until)
     VALUES ($1, $2, 'adult', 2, '2024-03-01', '2027-02-28') ON CONFLICT (ref) DO NOTHING`,
    [ref(P.inta, 'disability'), P.inta.code],
  );
  await sql(
    `INSERT INTO sim_vehicles (ref, registration_number, owner_code, category, make, model, first_registered_year, owned_from, owned_to)
     SELECT ref, plate, code, 'passenger_car', make, model, year, "from", NULL FROM jsonb_to_recordset($1::jsonb)
       AS v(ref text, plate text, code text, make text, model text, year int, "from" date) ON CONFLICT (ref) DO NOTHING`,
    [
      json(
        vehicles(P).map(([p, plate, make, model, year, from]) => ({
          ref: ref(p, plate),
          plate,
          code: p.code,
          make,
          model,
          year,
          from,
        })),
      ),
    ],
  );
  await sql(
    `INSERT INTO sim_assistance_records (ref, personal_code, municipality, benefit, status, decided_on, period_from, period_to, monthly_cents)
     VALUES ($1, $2, 'Jelgava', 'housing', 'granted', '2026-09-24', '2026-10-01', '2026-12-31', 8500) ON CONFLICT (ref) DO NOTHING`,
    [ref(P.ilze, 'housing'), P.ilze.code],
  );
}
