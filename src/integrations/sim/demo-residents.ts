import type { DataSource } from 'typeorm';
import { DEMO_CITIZENS } from '../../platform/accounts/demo-identities';
import { normalizeForSearch } from '../../persons/name-normalize';
import { formatPersonalCode, personalCodeCheckDigit } from '../../persons/personal-code';
import { writeDemoSocialRecords } from './demo-social-records';

/**
 * The demo residents of the development identity provider as the register simulators know them:
 * each with a family, a declared residence and the property behind it, in Tukuma novads. They are
 * written next to the synthetic population (codes the generator does not use: addresses 8xxxxxxxx),
 * so `sim:seed` and `seed:demo` give the README tour real people to sign in as.
 *
 * - Jānis Bērziņš (150385-12346) has bought a flat (Ūdens iela 12 - 5) and is still declared at his
 *   parents' farm with his son: declaring at the flat is confirmed by the registers (straight through).
 * - Līga Kalniņa (220790-14568) rents a flat (Pils iela 8 - 14) from Aivars Kalējs: declaring there on
 *   a lease goes to a caseworker (review path).
 * - The others are the people of the demo cases (seed:demo): an owner who moved into his house, a
 *   student and a tenant who rent, a landlord whose former tenant is still declared at his flat.
 */

/** A valid old-format code for a birth date and serial (the check digit is computed). */
function code(birthDate: string, serial: number): string {
  const [y, m, d] = birthDate.split('-');
  const first10 = `${d}${m}${y.slice(2)}${Number(y) >= 2000 ? 2 : 1}${String(serial).padStart(3, '0')}`;
  return formatPersonalCode(`${first10}${personalCodeCheckDigit(first10)}`);
}

const birthOf = (c: string): string => {
  const y = 1800 + Number(c[7]) * 100 + Number(c.slice(4, 6));
  return `${y}-${c.slice(2, 4)}-${c.slice(0, 2)}`;
};

export interface DemoPerson {
  code: string;
  givenName: string;
  familyName: string;
  sex: 'M' | 'F';
  birthDate: string;
}

export interface DemoAddress {
  code: string;
  kind: 'apartment' | 'house';
  territory: string;
  street: string | null;
  house: string;
  apartment: string | null;
  postcode: string;
}

const idp = (personalCode: string, sex: 'M' | 'F'): DemoPerson => {
  const c = DEMO_CITIZENS.find((x) => x.personalCode === personalCode)!;
  return {
    code: c.personalCode,
    givenName: c.givenName,
    familyName: c.familyName,
    sex,
    birthDate: birthOf(c.personalCode),
  };
};
const other = (
  birthDate: string,
  serial: number,
  givenName: string,
  familyName: string,
  sex: 'M' | 'F',
): DemoPerson => ({
  code: code(birthDate, serial),
  givenName,
  familyName,
  sex,
  birthDate,
});

/** Named demo people (dev-IdP residents and their relatives, landlords). */
export const P = {
  janis: idp('150385-12346', 'M'),
  liga: idp('220790-14568', 'F'),
  andris: idp('031178-10239', 'M'),
  elina: idp('090602-21704', 'F'),
  peteris: idp('290165-13409', 'M'),
  zane: idp('120488-12349', 'F'),
  edgars: idp('050792-13458', 'M'),
  ieva: idp('231175-14569', 'F'),
  guntis: idp('180269-15678', 'M'),
  valdis: other('1957-09-14', 611, 'Valdis', 'Bērziņš', 'M'),
  rasma: other('1959-02-03', 612, 'Rasma', 'Bērziņa', 'F'),
  roberts: other('2016-06-02', 613, 'Roberts', 'Bērziņš', 'M'),
  aivars: other('1962-11-20', 614, 'Aivars', 'Kalējs', 'M'),
  ilze: other('1980-04-11', 615, 'Ilze', 'Ozola', 'F'),
  karlis: other('2012-08-30', 616, 'Kārlis', 'Ozols', 'M'),
  emilija: other('2015-12-09', 617, 'Emīlija', 'Ozola', 'F'),
  inta: other('1967-05-25', 618, 'Inta', 'Kļaviņa', 'F'),
  sofija: other('2010-03-17', 619, 'Sofija', 'Ņikitina', 'F'),
  dace: other('1971-07-07', 620, 'Dace', 'Čakste', 'F'),
} as const satisfies Record<string, DemoPerson>;

const tukums = (
  code: string,
  street: string,
  house: string,
  apartment: string | null,
  postcode = 'LV-3101',
): DemoAddress => ({
  code,
  kind: apartment ? 'apartment' : 'house',
  territory: 'Tukums',
  street,
  house,
  apartment,
  postcode,
});

/** Demo dwellings (address codes 8000000xx). */
export const A = {
  janisFlat: tukums('800000011', 'Ūdens iela', '12', '5'),
  berzinsFarm: {
    code: '800000022',
    kind: 'house',
    territory: 'Slampes pag.',
    street: null,
    house: 'Ozoliņi',
    apartment: null,
    postcode: 'LV-3119',
  },
  ligaFlat: tukums('800000033', 'Pils iela', '8', '14'),
  ligaOldFlat: tukums('800000044', 'Talsu iela', '21', '3'),
  ozolsHouse: tukums('800000055', 'Kurzemes iela', '40', null),
  ozolsOldFlat: tukums('800000066', 'Raudas iela', '5', '2'),
  elinaFlat: tukums('800000077', 'Lielā iela', '3', '7'),
  klavinsHouse: tukums('800000088', 'Dārza iela', '9', null),
  klavinsFlat: tukums('800000099', 'Stadiona iela', '2', '11', 'LV-3104'),
  zaneFlat: tukums('800000101', 'Zemītes iela', '14', '1'),
  zaneOldFlat: tukums('800000112', 'Melnezera iela', '6', '9', 'LV-3104'),
  ievaFlat: tukums('800000123', 'Elizabetes iela', '6', '4'),
  ievaHouse: tukums('800000134', 'Ozolu iela', '17', null),
  cakstesHouse: {
    code: '800000145',
    kind: 'house',
    territory: 'Smārdes pag.',
    street: null,
    house: 'Kalnieši',
    apartment: null,
    postcode: 'LV-3129',
  },
} as const satisfies Record<string, DemoAddress>;

/** parent → child. */
const FAMILY: readonly [DemoPerson, DemoPerson][] = [
  [P.valdis, P.janis],
  [P.rasma, P.janis],
  [P.janis, P.roberts],
  [P.andris, P.karlis],
  [P.ilze, P.karlis],
  [P.andris, P.emilija],
  [P.ilze, P.emilija],
  [P.ieva, P.sofija],
];

/** Dwelling → owners (equal shares). */
const OWNERS: readonly [DemoAddress, DemoPerson[]][] = [
  [A.janisFlat, [P.janis]],
  [A.berzinsFarm, [P.valdis, P.rasma]],
  [A.ligaFlat, [P.aivars]],
  [A.ligaOldFlat, [P.aivars]],
  [A.ozolsHouse, [P.andris, P.ilze]],
  [A.ozolsOldFlat, [P.aivars]],
  [A.elinaFlat, [P.peteris]],
  [A.klavinsHouse, [P.peteris, P.inta]],
  [A.klavinsFlat, [P.peteris]],
  [A.zaneFlat, [P.aivars]],
  [A.zaneOldFlat, [P.aivars]],
  [A.ievaFlat, [P.ieva]],
  [A.ievaHouse, [P.aivars]],
  [A.cakstesHouse, [P.guntis, P.dace]],
];

/** Where each person is declared when the seed first meets them (declared from, basis). */
const DECLARED: readonly [DemoPerson, DemoAddress, string, string][] = [
  [P.janis, A.berzinsFarm, '2016-07-01', 'family_member_of_owner'],
  [P.roberts, A.berzinsFarm, '2016-07-01', 'family_member_of_owner'],
  [P.valdis, A.berzinsFarm, '1988-05-12', 'ownership'],
  [P.rasma, A.berzinsFarm, '1988-05-12', 'ownership'],
  [P.liga, A.ligaOldFlat, '2019-09-01', 'lease'],
  [P.aivars, A.ligaFlat, '2003-03-03', 'ownership'],
  [P.andris, A.ozolsOldFlat, '2011-02-15', 'lease'],
  [P.ilze, A.ozolsOldFlat, '2011-02-15', 'lease'],
  [P.karlis, A.ozolsOldFlat, '2012-08-30', 'lease'],
  [P.emilija, A.ozolsOldFlat, '2015-12-09', 'lease'],
  [P.elina, A.klavinsHouse, '2002-06-09', 'family_member_of_owner'],
  [P.peteris, A.klavinsHouse, '1996-10-01', 'ownership'],
  [P.inta, A.klavinsHouse, '1996-10-01', 'ownership'],
  [P.edgars, A.klavinsFlat, '2019-04-01', 'lease'],
  [P.zane, A.zaneOldFlat, '2014-05-20', 'lease'],
  [P.ieva, A.ievaFlat, '2007-11-12', 'ownership'],
  [P.sofija, A.ievaFlat, '2010-03-17', 'family_member_of_owner'],
  [P.guntis, A.cakstesHouse, '1999-06-15', 'ownership'],
  [P.dace, A.cakstesHouse, '1999-06-15', 'ownership'],
];

export const DEMO_PERSONS: readonly DemoPerson[] = Object.values(P);
export const DEMO_ADDRESSES: readonly DemoAddress[] = Object.values(A);

const MUNICIPALITY = 'Tukuma novads';
const fullText = (a: DemoAddress): string => {
  const head = a.street
    ? `${a.street} ${a.house}${a.apartment ? ` - ${a.apartment}` : ''}`
    : `"${a.house}"`;
  return `${head}, ${a.territory}, Tukuma nov., ${a.postcode}`;
};
const cadastral = (a: DemoAddress): string => `9001${a.code.slice(-7)}`;
const name = (p: DemoPerson): string => `${p.givenName} ${p.familyName}`;
const LOCK_KEY = 727_002;

export interface DemoResidentsReport {
  persons: number;
  addresses: number;
  residences: number;
}

/** Runs one statement and returns its rows (a TypeORM entity manager's or a pg client's query). */
export type Sql = (sql: string, params?: unknown[]) => Promise<unknown[]>;

/** In its own transaction (see writeDemoResidents). */
export function seedDemoResidents(ds: DataSource): Promise<DemoResidentsReport> {
  return ds.transaction((em) =>
    writeDemoResidents((sql, params) => em.query(sql, params) as Promise<unknown[]>),
  );
}

/**
 * Idempotent, inside the caller's transaction: writes what is missing and changes nothing else. A
 * declared residence is written once per person (request reference `demo-seed:<code>`), so a later
 * declaration in the app is kept. One statement per table (rows as a JSON parameter), as it runs on
 * every population load. Returns how many rows were added.
 */
export async function writeDemoResidents(sql: Sql): Promise<DemoResidentsReport> {
  await sql('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
  const json = (rows: unknown[]): string => JSON.stringify(rows);
  // A generated person may hold a demo code: the demo identity wins (names as the IdP says).
  const persons = await sql(
    `INSERT INTO sim_persons (personal_code, given_name, family_name, given_name_norm, family_name_norm, sex, birth_date)
     SELECT code, given, family, given_norm, family_norm, sex, birth FROM jsonb_to_recordset($1::jsonb)
       AS v(code text, given text, family text, given_norm text, family_norm text, sex text, birth date)
     ON CONFLICT (personal_code) DO UPDATE SET given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name,
       given_name_norm = EXCLUDED.given_name_norm, family_name_norm = EXCLUDED.family_name_norm, sex = EXCLUDED.sex,
       birth_date = EXCLUDED.birth_date, deceased_on = NULL
     WHERE (sim_persons.given_name, sim_persons.family_name, sim_persons.sex, sim_persons.birth_date, sim_persons.deceased_on)
       IS DISTINCT FROM (EXCLUDED.given_name, EXCLUDED.family_name, EXCLUDED.sex, EXCLUDED.birth_date, NULL::date)
     RETURNING personal_code`,
    [
      json(
        DEMO_PERSONS.map((p) => ({
          code: p.code,
          given: p.givenName,
          family: p.familyName,
          given_norm: normalizeForSearch(p.givenName),
          family_norm: normalizeForSearch(p.familyName),
          sex: p.sex,
          birth: p.birthDate,
        })),
      ),
    ],
  );
  await sql(
    `INSERT INTO sim_family_links (personal_code, related_code, kind)
     SELECT parent, child, 'parent' FROM jsonb_to_recordset($1::jsonb) AS v(parent text, child text) ON CONFLICT DO NOTHING`,
    [json(FAMILY.map(([parent, child]) => ({ parent: parent.code, child: child.code })))],
  );
  const addresses = await sql(
    `INSERT INTO sim_addresses (code, kind, parent_code, municipality, territory, street, house, apartment, postcode, full_text, search_text)
     SELECT code, kind, NULL, $2, territory, street, house, apartment, postcode, text, search FROM jsonb_to_recordset($1::jsonb)
       AS v(code text, kind text, territory text, street text, house text, apartment text, postcode text, text text, search text)
     ON CONFLICT DO NOTHING RETURNING code`,
    [
      json(
        DEMO_ADDRESSES.map((a) => ({
          ...a,
          text: fullText(a),
          search: normalizeForSearch(fullText(a)),
        })),
      ),
      MUNICIPALITY,
    ],
  );
  await sql(
    `INSERT INTO sim_properties (cadastral_number, address_code, kind, land_register_folio)
     SELECT cadastral, address, kind, folio FROM jsonb_to_recordset($1::jsonb) AS v(cadastral text, address text, kind text, folio text) ON CONFLICT DO NOTHING`,
    [
      json(
        OWNERS.map(([a]) => ({
          cadastral: cadastral(a),
          address: a.code,
          kind: a.kind,
          folio: `Tukuma pilsētas zemesgrāmatas nodalījums Nr. ${a.code.slice(-4)}`,
        })),
      ),
    ],
  );
  await sql(
    `INSERT INTO sim_property_shares (cadastral_number, owner_code, owner_name, share_numerator, share_denominator)
     SELECT cadastral, owner, name, 1, of FROM jsonb_to_recordset($1::jsonb) AS v(cadastral text, owner text, name text, of int)
      WHERE NOT EXISTS (SELECT 1 FROM sim_property_shares s WHERE s.cadastral_number = v.cadastral AND s.owner_code = v.owner)`,
    [
      json(
        OWNERS.flatMap(([a, owners]) =>
          owners.map((o) => ({
            cadastral: cadastral(a),
            owner: o.code,
            name: name(o),
            of: owners.length,
          })),
        ),
      ),
    ],
  );
  const declared = json(
    DECLARED.map(([p, a, from, basis]) => ({
      code: p.code,
      address: a.code,
      from,
      basis,
      ref: `demo-seed:${p.code}`,
    })),
  );
  const fresh = `jsonb_to_recordset($1::jsonb) AS v(code text, address text, "from" date, basis text, ref text)
    WHERE NOT EXISTS (SELECT 1 FROM sim_residences x WHERE x.request_ref = v.ref)`;
  // A generated person with a demo code may have a current residence: it ends the day before.
  await sql(
    `UPDATE sim_residences r SET status = 'ended', valid_to = GREATEST(r.valid_from, v."from" - 1)
       FROM ${fresh} AND r.personal_code = v.code AND r.status = 'active' AND r.valid_to IS NULL`,
    [declared],
  );
  const residences = await sql(
    `INSERT INTO sim_residences (personal_code, address_code, valid_from, status, basis, request_ref)
     SELECT code, address, "from", 'active', basis, ref FROM ${fresh} RETURNING id`,
    [declared],
  );
  await writeDemoSocialRecords(sql, P);
  return { persons: persons.length, addresses: addresses.length, residences: residences.length };
}
