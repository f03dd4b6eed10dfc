import { xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import { normalizeForSearch } from '../../persons/name-normalize';
import { personalCodeCheckDigit, personalCodeHasNoCheckDigit } from '../../persons/personal-code';
import {
  FAMILY_NAMES,
  FEMALE_GIVEN,
  LEGAL_OWNERS,
  MALE_GIVEN,
  MUNICIPALITIES,
  RURAL_HOUSE_NAMES,
  type Settlement,
  type SimMunicipality,
} from './latvian-data';
import {
  emptySocialRows,
  SOCIAL_COPY_COLUMNS,
  SocialRecordsGenerator,
  type SocialRows,
} from './social-records-generator';

const DAY_MS = 86_400_000;
/** Ages and dates are relative to this fixed day (2026-01-01), not "today", so a seed always yields the same data. */
const REF_DAY = Date.UTC(2026, 0, 1) / DAY_MS;
const NEW_CODES_FROM = Date.UTC(2017, 6, 1) / DAY_MS;
const YEAR = 365.25;

const iso = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const pad = (n: number, w: number): string => String(n).padStart(w, '0');
/** COPY text format: escape backslash, tab, newline; null is \N. */
const cell = (v: string | number | null): string =>
  v === null
    ? '\\N'
    : typeof v === 'number'
      ? String(v)
      : v.replace(/[\\\t\n\r]/g, (c) =>
          c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
        );
const row = (...vs: (string | number | null)[]): string => `${vs.map(cell).join('\t')}\n`;

/** Rows for each simulator table, as COPY text lines, in the column order of SIM_COPY_COLUMNS. */
export interface SimRows extends SocialRows {
  sim_persons: string[];
  sim_family_links: string[];
  sim_residences: string[];
  sim_addresses: string[];
  sim_properties: string[];
  sim_property_shares: string[];
}
export type SimTable = keyof SimRows;

export const SIM_COPY_COLUMNS: Record<SimTable, string> = {
  sim_persons:
    'personal_code, given_name, family_name, given_name_norm, family_name_norm, sex, birth_date, deceased_on',
  sim_family_links: 'personal_code, related_code, kind',
  sim_residences:
    'id, personal_code, address_code, valid_from, valid_to, status, basis, request_ref, annulled_from',
  sim_addresses:
    'code, kind, parent_code, municipality, territory, street, house, apartment, postcode, full_text, search_text',
  sim_properties: 'cadastral_number, address_code, kind, land_register_folio',
  sim_property_shares:
    'id, cadastral_number, owner_code, owner_name, share_numerator, share_denominator',
  ...SOCIAL_COPY_COLUMNS,
};
export const SIM_TABLES = Object.keys(SIM_COPY_COLUMNS) as SimTable[];

export const emptyRows = (): SimRows => ({
  sim_persons: [],
  sim_family_links: [],
  sim_residences: [],
  sim_addresses: [],
  sim_properties: [],
  sim_property_shares: [],
  ...emptySocialRows(),
});

interface Member {
  code: string;
  given: string;
  family: string;
  sex: 'M' | 'F';
  birthDay: number;
  adult: boolean;
}

interface Dwelling {
  code: string;
  kind: 'apartment' | 'house';
  municipality: SimMunicipality;
}

/** Sets deceased_on (the last column) of the persons who died; their rows are among the newest. */
function recordDeaths(persons: string[], deaths: Map<string, string>): void {
  for (let i = persons.length - 1, left = deaths.size; i >= 0 && left > 0; i--) {
    const on = deaths.get(persons[i].slice(0, persons[i].indexOf('\t')));
    if (on === undefined) continue;
    persons[i] = `${persons[i].slice(0, persons[i].lastIndexOf('\t'))}\t${on}\n`;
    left--;
  }
}

function cumulative(n: number): Float64Array {
  const c = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) c[i] = s += 1 / (i + 3);
  for (let i = 0; i < n; i++) c[i] /= s;
  return c;
}

/**
 * Deterministic synthetic population: households in dwellings, with family links, declared
 * residence histories and property owners. Same seed and size → byte-identical rows.
 */
export class PopulationGenerator {
  private readonly rng: RandomGenerator;
  private readonly familyCum = cumulative(FAMILY_NAMES.length);
  private readonly maleCum = cumulative(MALE_GIVEN.length);
  private readonly femaleCum = cumulative(FEMALE_GIVEN.length);
  private readonly muniCum: Float64Array;
  private readonly norm = new Map<string, string>();
  private readonly serials = new Map<number, number>();
  private readonly streetNumbers = new Map<string, number>();
  private readonly newCodeOffset: number;
  private newCodeCounter = 0;
  private addressCounter = 0;
  private cadastralCounter = 0;
  private residenceId = 0;
  private shareId = 0;
  private pendingApartments: Dwelling[] = [];
  /** Adults and dwellings seen so far: landlords and earlier addresses are drawn from them. */
  private readonly adults: Member[] = [];
  private readonly dwellingCodes: string[] = [];
  personsMade = 0;
  private readonly social: SocialRecordsGenerator;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
    this.social = new SocialRecordsGenerator(seed, REF_DAY);
    const total = MUNICIPALITIES.reduce((s, m) => s + m.weight, 0);
    let acc = 0;
    this.muniCum = Float64Array.from(MUNICIPALITIES, (m) => (acc += m.weight / total));
    this.newCodeOffset = this.int(0, 99_999_999);
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
  private pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.float() * arr.length)];
  }
  private weighted(cum: Float64Array): number {
    const x = this.float();
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  private normalized(s: string): string {
    let n = this.norm.get(s);
    if (n === undefined) this.norm.set(s, (n = normalizeForSearch(s)));
    return n;
  }

  /**
   * Adds households until at least `upTo` persons exist (never more than `total`); returns the
   * rows made by this call. Households are capped by `total` only, so the data do not depend
   * on how the caller splits the work into batches.
   */
  generate(upTo: number, total: number = upTo, out: SimRows = emptyRows()): SimRows {
    while (this.personsMade < upTo) this.household(out, total - this.personsMade);
    return out;
  }

  // ---- personal codes -------------------------------------------------------------------
  private personalCode(birthDay: number): string {
    if (birthDay >= NEW_CODES_FROM || this.chance(0.03)) return this.newCode();
    const d = new Date(birthDay * DAY_MS);
    const year = d.getUTCFullYear();
    const ddmmyy = `${pad(d.getUTCDate(), 2)}${pad(d.getUTCMonth() + 1, 2)}${pad(year % 100, 2)}`;
    const century = Math.floor(year / 100) - 18;
    let k = this.serials.get(birthDay) ?? 0;
    const base = ((birthDay % 1000) + 1000) % 1000;
    for (;;) {
      const serial = pad((base + k * 389) % 1000, 3);
      k++;
      const first10 = `${ddmmyy}${century}${serial}`;
      if (personalCodeHasNoCheckDigit(first10)) continue;
      this.serials.set(birthDay, k);
      return `${ddmmyy}-${century}${serial}${personalCodeCheckDigit(first10)}`;
    }
  }

  private newCode(): string {
    for (;;) {
      const middle = pad((this.newCodeCounter++ * 48271 + this.newCodeOffset) % 100_000_000, 8);
      const first10 = `32${middle}`;
      if (personalCodeHasNoCheckDigit(first10)) continue;
      return `32${middle.slice(0, 4)}-${middle.slice(4)}${personalCodeCheckDigit(first10)}`;
    }
  }

  // ---- persons --------------------------------------------------------------------------
  private person(sex: 'M' | 'F', ageYears: number, familyIdx: number, out: SimRows): Member {
    const birthDay = Math.max(
      REF_DAY - Math.floor(ageYears * YEAR) - this.int(0, 364),
      REF_DAY - 110 * 365,
    );
    const given =
      sex === 'M'
        ? MALE_GIVEN[this.weighted(this.maleCum)]
        : FEMALE_GIVEN[this.weighted(this.femaleCum)];
    const family = FAMILY_NAMES[familyIdx][sex === 'M' ? 0 : 1];
    const m: Member = {
      code: this.personalCode(birthDay),
      given,
      family,
      sex,
      birthDay: Math.min(birthDay, REF_DAY - 1),
      adult: ageYears >= 18,
    };
    out.sim_persons.push(
      row(
        m.code,
        given,
        family,
        this.normalized(given),
        this.normalized(family),
        sex,
        iso(m.birthDay),
        null,
      ),
    );
    this.personsMade++;
    if (m.adult) this.adults.push(m);
    return m;
  }

  private familyName(): number {
    return this.weighted(this.familyCum);
  }

  private link(parent: Member, child: Member, kind: 'parent' | 'guardian', out: SimRows): void {
    out.sim_family_links.push(row(parent.code, child.code, kind));
  }

  private children(
    parents: Member[],
    familyIdx: number,
    count: number,
    out: SimRows,
    kind: 'parent' | 'guardian' = 'parent',
  ): Member[] {
    const youngest = Math.min(...parents.map((p) => (REF_DAY - p.birthDay) / YEAR));
    const maxAge = Math.max(0, Math.min(24, Math.floor(youngest) - 19));
    const kids: Member[] = [];
    for (let i = 0; i < count; i++) {
      const kid = this.person(this.chance(0.5) ? 'M' : 'F', this.int(0, maxAge), familyIdx, out);
      for (const p of parents) this.link(p, kid, kind, out);
      kids.push(kid);
    }
    return kids;
  }

  /** One household in one new dwelling; `room` caps its size so the total comes out exact. */
  private household(out: SimRows, room: number): void {
    const dwelling = this.dwelling(out);
    if (this.chance(0.08)) {
      this.property(dwelling, [], out);
      return;
    }
    const r = this.float();
    const fam = this.familyName();
    const members: Member[] = [];
    const adults: Member[] = [];
    const add = (m: Member): Member => (members.push(m), m);
    if (r < 0.28 || room < 2) {
      adults.push(add(this.person(this.chance(0.47) ? 'M' : 'F', this.int(20, 90), fam, out)));
    } else if (r < 0.5 || room < 3) {
      const age = this.int(25, 85);
      const husband = add(this.person('M', age, fam, out));
      const wife = add(
        this.person(
          'F',
          Math.max(20, age + this.int(-6, 4)),
          this.chance(0.8) ? fam : this.familyName(),
          out,
        ),
      );
      adults.push(husband, wife);
    } else if (r < 0.8) {
      const age = this.int(25, 55);
      const father = add(this.person('M', age, fam, out));
      const mother = add(
        this.person(
          'F',
          Math.max(20, age + this.int(-5, 3)),
          this.chance(0.85) ? fam : this.familyName(),
          out,
        ),
      );
      adults.push(father, mother);
      for (const k of this.children([father, mother], fam, Math.min(this.int(1, 3), room - 2), out))
        members.push(k);
    } else if (r < 0.92) {
      const guardian = this.chance(0.05);
      const sex = this.chance(0.8) ? 'F' : 'M';
      const adult = add(this.person(sex, guardian ? this.int(50, 75) : this.int(22, 55), fam, out));
      adults.push(adult);
      const kidFam = guardian ? this.familyName() : fam;
      const kids = this.children(
        [adult],
        kidFam,
        Math.min(this.int(1, 2), room - 1),
        out,
        guardian ? 'guardian' : 'parent',
      );
      members.push(...kids);
    } else {
      const age = this.int(30, 55);
      const father = add(this.person('M', age, fam, out));
      const mother = add(this.person('F', Math.max(20, age + this.int(-5, 3)), fam, out));
      adults.push(father, mother);
      if (room >= 3) {
        const grandma = add(this.person('F', Math.min(95, age + this.int(20, 35)), fam, out));
        this.link(grandma, father, 'parent', out);
      }
      if (room >= 4)
        members.push(
          ...this.children([father, mother], fam, Math.min(this.int(1, 2), room - 3), out),
        );
    }
    const owners = this.property(dwelling, adults, out);
    this.residences(dwelling, members, owners, out);
    const deaths = this.social.household(members, dwelling.municipality.name, out);
    if (deaths.size > 0) recordDeaths(out.sim_persons, deaths);
  }

  // ---- addresses and properties ----------------------------------------------------------
  private nextCode(): string {
    return String(100_000_001 + this.addressCounter++ * 3);
  }

  private address(
    out: SimRows,
    m: SimMunicipality,
    s: Settlement,
    kind: 'building' | 'house' | 'apartment',
    street: string | null,
    house: string,
    apartment: string | null,
    parentCode: string | null,
    postcode: string,
  ): string {
    const code = this.nextCode();
    const place = [s.territory, ...(m.short ? [m.short] : []), postcode].join(', ');
    const head = street ? `${street} ${house}${apartment ? ` - ${apartment}` : ''}` : `"${house}"`;
    const full = `${head}, ${place}`;
    out.sim_addresses.push(
      row(
        code,
        kind,
        parentCode,
        m.name,
        s.territory,
        street,
        house,
        apartment,
        postcode,
        full,
        normalizeForSearch(full),
      ),
    );
    return code;
  }

  private dwelling(out: SimRows): Dwelling {
    const queued = this.pendingApartments.pop();
    if (queued) return queued;
    const m = MUNICIPALITIES[this.weighted(this.muniCum)];
    let x = this.float() * m.settlements.reduce((a, s) => a + s.weight, 0);
    const s = m.settlements.find((st) => (x -= st.weight) < 0) ?? m.settlements[0];
    if (s.kind === 'parish') {
      const d: Dwelling = {
        code: this.address(
          out,
          m,
          s,
          'house',
          null,
          this.pick(RURAL_HOUSE_NAMES),
          null,
          null,
          s.postcodes[0],
        ),
        kind: 'house',
        municipality: m,
      };
      this.dwellingCodes.push(d.code);
      return d;
    }
    const streetIdx = this.int(0, s.streets.length - 1);
    const street = s.streets[streetIdx];
    const key = `${s.territory}|${street}`;
    const n = (this.streetNumbers.get(key) ?? 0) + 1;
    this.streetNumbers.set(key, n);
    const house = this.chance(0.04) ? `${n}A` : String(n);
    const postcode = s.postcodes[streetIdx % s.postcodes.length];
    if (!this.chance(s.apartmentShare)) {
      const d: Dwelling = {
        code: this.address(out, m, s, 'house', street, house, null, null, postcode),
        kind: 'house',
        municipality: m,
      };
      this.dwellingCodes.push(d.code);
      return d;
    }
    const building = this.address(out, m, s, 'building', street, house, null, null, postcode);
    const count = m.name === 'Rīga' ? this.int(12, 80) : this.int(8, 40);
    const apartments: Dwelling[] = [];
    for (let a = 1; a <= count; a++) {
      const code = this.address(
        out,
        m,
        s,
        'apartment',
        street,
        house,
        String(a),
        building,
        postcode,
      );
      this.dwellingCodes.push(code);
      apartments.push({ code, kind: 'apartment', municipality: m });
    }
    this.pendingApartments = apartments.reverse();
    return this.pendingApartments.pop()!;
  }

  /** Creates the dwelling's property and its shares; returns the household members who own it. */
  private property(d: Dwelling, adults: Member[], out: SimRows): Set<string> {
    const cadastral = `${d.municipality.cadastralPrefix}${pad(++this.cadastralCounter, 7)}`;
    const folio = `${d.municipality.landRegister} zemesgrāmatas nodalījums Nr. ${100000 + this.cadastralCounter}`;
    out.sim_properties.push(row(cadastral, d.code, d.kind, folio));
    const share = (code: string, name: string, num: number, den: number): void => {
      out.sim_property_shares.push(row(++this.shareId, cadastral, code, name, num, den));
    };
    const r = this.float();
    const owners = new Set<string>();
    if (adults.length > 0 && r < 0.7) {
      const split = adults.length >= 2 && this.chance(0.6);
      for (const a of split ? adults.slice(0, 2) : adults.slice(0, 1)) {
        share(a.code, `${a.given} ${a.family}`, 1, split ? 2 : 1);
        owners.add(a.code);
      }
    } else if (r < 0.9 && this.adults.length > adults.length + 10) {
      const landlord = this.adults[this.int(0, this.adults.length - adults.length - 1)];
      share(landlord.code, `${landlord.given} ${landlord.family}`, 1, 1);
    } else {
      const [code, name] = this.pick(LEGAL_OWNERS);
      share(code, name, 1, 1);
    }
    return owners;
  }

  // ---- declared residences ---------------------------------------------------------------
  private residences(d: Dwelling, members: Member[], owners: Set<string>, out: SimRows): void {
    const moveIn = REF_DAY - this.int(30, 365 * 25);
    const rented = owners.size === 0;
    for (const m of members) {
      const from = Math.max(moveIn, m.birthDay);
      const basis = owners.has(m.code) ? 'ownership' : rented ? 'lease' : 'family_member_of_owner';
      out.sim_residences.push(
        row(++this.residenceId, m.code, d.code, iso(from), null, 'active', basis, null, null),
      );
      if (!m.adult || this.dwellingCodes.length < 50) continue;
      let end = from - 1;
      const previous = this.chance(0.6) ? this.int(1, 2) : 0;
      for (let i = 0; i < previous; i++) {
        const start = end - this.int(200, 3000);
        if (start < m.birthDay + 18 * 365) break;
        const addr = this.dwellingCodes[this.int(0, this.dwellingCodes.length - 2)];
        const annulled = this.chance(0.02);
        out.sim_residences.push(
          row(
            ++this.residenceId,
            m.code,
            addr,
            iso(start),
            iso(end),
            annulled ? 'annulled' : 'ended',
            this.chance(0.5) ? 'lease' : 'ownership',
            null,
            annulled ? iso(start) : null,
          ),
        );
        end = start - 1;
      }
    }
  }
}
