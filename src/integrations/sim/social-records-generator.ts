import { xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import { MUNICIPALITIES } from './latvian-data';

/**
 * The means-test registers' records of the synthetic population (VSAA benefits, VID employment
 * income, NVA unemployment, VDEĀVK disability, CSDD vehicles, SPOLIS entries), made household by
 * household as the population generator makes the people. It draws from its own random stream
 * (derived from the same seed), so the population itself is unchanged by it and the same seed
 * always gives the same records. Dates are relative to the generator's fixed reference day.
 *
 * Amounts are plausible, not statistics: pensions 320–920 €, gross pay 780–3,580 € with roughly
 * Latvian withholding (10.5 % contributions, 25.5 % income tax above a 550 € allowance).
 */

const DAY_MS = 86_400_000;
const YEAR = 365.25;
const iso = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** What the generator knows of a household member. */
export interface SocialMember {
  code: string;
  birthDay: number;
}

export interface SocialRows {
  sim_social_insurance_benefits: string[];
  sim_employment_income: string[];
  sim_unemployment_spells: string[];
  sim_disabilities: string[];
  sim_vehicles: string[];
  sim_assistance_records: string[];
}

export const SOCIAL_COPY_COLUMNS: Record<keyof SocialRows, string> = {
  sim_social_insurance_benefits: 'ref, personal_code, kind, monthly_cents, valid_from, valid_to',
  sim_employment_income:
    'ref, personal_code, employer_code, employer_name, gross_cents, tax_cents, valid_from, valid_to',
  sim_unemployment_spells: 'ref, personal_code, registered_from, registered_to',
  sim_disabilities: 'ref, personal_code, kind, disability_group, valid_from, valid_until',
  sim_vehicles:
    'ref, registration_number, owner_code, category, make, model, first_registered_year, owned_from, owned_to',
  sim_assistance_records:
    'ref, personal_code, municipality, benefit, status, decided_on, period_from, period_to, monthly_cents',
};

export const EMPLOYERS: readonly (readonly [string, string])[] = [
  ['40003011111', 'SIA "Kurzemes maiznīca"'],
  ['40003022222', 'AS "Latvijas Loģistika"'],
  ['40003033333', 'SIA "Tukuma Auto"'],
  ['40003044444', 'SIA "Zemgales būvnieks"'],
  ['40003055555', 'AS "Rīgas Tirdzniecība"'],
  ['40003066666', 'SIA "Baltijas IT Risinājumi"'],
  ['90000012345', 'Rīgas valstspilsētas pašvaldība'],
  ['90000054321', 'Ogres novada pašvaldība'],
  ['90000098765', 'Tukuma novada pašvaldība'],
  ['40003077777', 'SIA "Ogres Kokapstrāde"'],
  ['40003088888', 'SIA "Jelgavas Piens"'],
  ['40003099999', 'AS "Daugavas Enerģija"'],
];

const CARS: readonly (readonly [string, string])[] = [
  ['Volkswagen', 'Golf'],
  ['Volkswagen', 'Passat'],
  ['Toyota', 'Corolla'],
  ['Toyota', 'RAV4'],
  ['Škoda', 'Octavia'],
  ['Audi', 'A4'],
  ['BMW', '320d'],
  ['Opel', 'Astra'],
  ['Volvo', 'V70'],
  ['Renault', 'Clio'],
];

/** Registration letters without D: demo vehicles use D…, so generated ones never collide with them. */
const PLATE_LETTERS = 'ABCEFGHIJKLMNOPRSTUVZ';

const rows = (): SocialRows => ({
  sim_social_insurance_benefits: [],
  sim_employment_income: [],
  sim_unemployment_spells: [],
  sim_disabilities: [],
  sim_vehicles: [],
  sim_assistance_records: [],
});
export const emptySocialRows = rows;

const line = (...vs: (string | number | null)[]): string =>
  `${vs.map((v) => (v === null ? '\\N' : String(v))).join('\t')}\n`;

/** Withheld from a month's gross pay (cents): contributions 10.5 %, income tax 25.5 % above 550 €. */
export function withheldCents(grossCents: number): number {
  const contributions = Math.round(grossCents * 0.105);
  const taxable = Math.max(0, grossCents - contributions - 55_000);
  return contributions + Math.round(taxable * 0.255);
}

export class SocialRecordsGenerator {
  private readonly rng: RandomGenerator;
  private n = 0;
  private plates = 0;

  constructor(
    seed: number,
    private readonly refDay: number,
  ) {
    // A stream of its own: the population's stream (and so the people) stay as they were.
    this.rng = xoroshiro128plus((seed ^ 0x50c1a55) >>> 0);
  }

  private float(): number {
    return (this.rng.unsafeNext() >>> 0) / 4294967296;
  }
  private int(a: number, b: number): number {
    return a + Math.floor(this.float() * (b - a + 1));
  }
  private chance(p: number): boolean {
    return this.float() < p;
  }
  private ref(): string {
    return `g:${++this.n}`;
  }

  /**
   * The records of one household living in `municipality`. Returns the members who have died
   * (some of the oldest, within the last year): the population register records the death, the
   * pension stops, the declared residence stays (as it often does until someone reports it).
   */
  household(members: SocialMember[], municipality: string, out: SocialRows): Map<string, string> {
    let earners = 0;
    let pensioners = 0;
    const adults: SocialMember[] = [];
    const deaths = new Map<string, string>();
    for (const m of members) {
      const age = (this.refDay - m.birthDay) / YEAR;
      if (age >= 65) {
        const died = age >= 75 && this.chance(0.04) ? this.refDay - this.int(1, 365) : null;
        if (died === null) {
          pensioners++;
          adults.push(m);
        } else deaths.set(m.code, iso(died));
        this.benefit(
          out,
          m.code,
          'old_age_pension',
          this.int(320, 920) * 100,
          m.birthDay + Math.ceil(65 * YEAR),
          died,
        );
      } else if (age >= 18) {
        adults.push(m);
        if (this.workingAge(out, m)) earners++;
      } else {
        this.benefit(
          out,
          m.code,
          'family_state_benefit',
          2500,
          m.birthDay,
          m.birthDay + Math.floor(18 * YEAR),
        );
        if (this.chance(0.02))
          out.sim_disabilities.push(
            line(
              this.ref(),
              m.code,
              'child',
              null,
              iso(m.birthDay + this.int(100, 1000)),
              iso(m.birthDay + Math.floor(18 * YEAR)),
            ),
          );
      }
    }
    for (const a of adults) this.vehicles(out, a);
    this.assistance(
      out,
      members.filter((m) => !deaths.has(m.code)),
      municipality,
      earners === 0 && pensioners < adults.length,
    );
    return deaths;
  }

  /** Employment, unemployment or disability of a working-age adult; true when employed now. */
  private workingAge(out: SocialRows, m: SocialMember): boolean {
    const r = this.float();
    if (r < 0.7) {
      const ended = this.chance(0.08);
      this.job(
        out,
        m.code,
        this.refDay - this.int(200, 3650),
        ended ? this.refDay - this.int(10, 180) : null,
      );
      return !ended;
    }
    if (r < 0.78) {
      const from = this.refDay - this.int(20, 500);
      if (this.chance(0.6)) this.job(out, m.code, from - this.int(300, 2500), from - 1);
      out.sim_unemployment_spells.push(line(this.ref(), m.code, iso(from), null));
      if (this.chance(0.6))
        this.benefit(
          out,
          m.code,
          'unemployment_benefit',
          this.int(180, 530) * 100,
          from,
          from + 240,
        );
      return false;
    }
    if (r < 0.84) {
      const from = this.refDay - this.int(100, 4000);
      const g = this.float();
      const group = g < 0.15 ? 1 : g < 0.6 ? 2 : 3;
      const until = this.chance(0.3) ? null : iso(this.refDay + this.int(30, 1500));
      out.sim_disabilities.push(line(this.ref(), m.code, 'adult', group, iso(from), until));
      this.benefit(out, m.code, 'disability_pension', this.int(120, 420) * 100, from, null);
      return false;
    }
    return false;
  }

  private job(out: SocialRows, code: string, from: number, to: number | null): void {
    const [employerCode, employerName] = EMPLOYERS[this.int(0, EMPLOYERS.length - 1)];
    const gross = this.int(780, 3580) * 100;
    out.sim_employment_income.push(
      line(
        this.ref(),
        code,
        employerCode,
        employerName,
        gross,
        withheldCents(gross),
        iso(from),
        to === null ? null : iso(to),
      ),
    );
  }

  private benefit(
    out: SocialRows,
    code: string,
    kind: string,
    cents: number,
    from: number,
    to: number | null,
  ): void {
    out.sim_social_insurance_benefits.push(
      line(this.ref(), code, kind, cents, iso(from), to === null ? null : iso(to)),
    );
  }

  private vehicles(out: SocialRows, m: SocialMember): void {
    const count = this.chance(0.45) ? (this.chance(0.15) ? 2 : 1) : 0;
    for (let i = 0; i < count; i++) {
      const [make, model] = CARS[this.int(0, CARS.length - 1)];
      const k = this.plates++;
      const plate = `${PLATE_LETTERS[Math.floor(k / 9999 / PLATE_LETTERS.length) % PLATE_LETTERS.length]}${
        PLATE_LETTERS[Math.floor(k / 9999) % PLATE_LETTERS.length]
      }-${(k % 9999) + 1}`;
      out.sim_vehicles.push(
        line(
          this.ref(),
          plate,
          m.code,
          'passenger_car',
          make,
          model,
          this.int(2003, 2024),
          iso(this.refDay - this.int(30, 4000)),
          null,
        ),
      );
    }
  }

  /** SPOLIS: households without earnings often have an entry at home; a few hold one elsewhere. */
  private assistance(
    out: SocialRows,
    members: SocialMember[],
    municipality: string,
    poor: boolean,
  ): void {
    const head = members[0];
    if (!head) return;
    if (poor && this.chance(0.4)) {
      const decided = this.refDay - this.int(10, 200);
      const granted = this.chance(0.85);
      out.sim_assistance_records.push(
        line(
          this.ref(),
          head.code,
          municipality,
          'needy_status',
          granted ? 'granted' : 'refused',
          iso(decided),
          granted ? iso(decided) : null,
          granted ? iso(decided + 182) : null,
          null,
        ),
      );
      if (granted)
        out.sim_assistance_records.push(
          line(
            this.ref(),
            head.code,
            municipality,
            'gmi',
            'granted',
            iso(decided),
            iso(decided),
            iso(decided + 91),
            this.int(40, 250) * 100,
          ),
        );
    }
    if (this.chance(0.01)) {
      const others = MUNICIPALITIES.filter((m) => m.name !== municipality);
      const elsewhere = others[this.int(0, others.length - 1)].name;
      const decided = this.refDay - this.int(5, 60);
      out.sim_assistance_records.push(
        line(
          this.ref(),
          head.code,
          elsewhere,
          'housing',
          'granted',
          iso(decided),
          iso(decided),
          iso(decided + 91),
          this.int(30, 160) * 100,
        ),
      );
    }
  }
}
