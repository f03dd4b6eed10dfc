import { normalizeForSearch } from '../../../persons/name-normalize';
import type { ListFilter, ListKind } from './residence-list.filter';

export interface ListQuery {
  sql: string;
  params: unknown[];
}

export interface ListRow {
  key: string;
  personalCode: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  address: string;
  declaredFrom: string;
  status: string;
  children: number | null;
  /** Declarations only: how many persons the declaration covers (the applicant included). */
  personsDeclared: number | null;
  /** Set when `personalCode` holds the masked form (no link to the person card then). */
  masked?: true;
}

/** Years before `today` as an ISO date (for age filters); 29 February falls back to the 28th in a common year. */
export function yearsBefore(today: string, years: number): string {
  const year = Number(today.slice(0, 4)) - years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDay = today.slice(5) === '02-29' && !leap ? '02-28' : today.slice(5);
  return `${String(year).padStart(4, '0')}-${monthDay}`;
}

/**
 * The number of minor children is a correlated count per row: it is computed (and shown) only when
 * the list filters on family size, so plain lists and exports stay cheap.
 *
 * SQL for one page (or one export batch) of a list, keyset-paginated on `key` so deep pages and
 * exports cost the same as the first. Persons and large families read the population register
 * extract (the simulator's tables here) for the tenant's territory; declarations read the case file.
 */
export function listQuery(
  kind: ListKind,
  territory: string,
  f: ListFilter,
  today: string,
  after: string | null,
  limit: number,
  municipalityId: string,
): ListQuery {
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (kind === 'declarations') {
    const where = [`d.municipality_id = ${p(municipalityId)}`];
    if (f.address)
      where.push(`d.address_text ILIKE ${p(`%${f.address.replace(/[%_\\]/g, '\\$&')}%`)}`);
    if (f.street)
      where.push(`d.address_text ILIKE ${p(`${f.street.replace(/[%_\\]/g, '\\$&')}%`)}`);
    if (f.status) where.push(`d.status = ${p(f.status)}`);
    if (f.declaredFrom) where.push(`d.declared_on >= ${p(f.declaredFrom)}`);
    if (f.declaredTo) where.push(`d.declared_on <= ${p(f.declaredTo)}`);
    if (after) where.push(`d.id::text > ${p(after)}`);
    return {
      // The applicant's name and date of birth come from the population register (as on the other lists).
      sql: `SELECT d.id::text AS key, d.applicant_code AS personal_code, p.given_name, p.family_name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date,
              d.address_text AS address, to_char(d.declared_on, 'YYYY-MM-DD') AS declared_from, d.status, NULL::int AS children,
              jsonb_array_length(d.person_codes) AS persons_declared
            FROM residence_declarations d LEFT JOIN sim_persons p ON p.personal_code = d.applicant_code WHERE ${where.join(' AND ')} ORDER BY d.id LIMIT ${p(limit)}`,
      params,
    };
  }
  const where = [
    `a.municipality = ${p(territory)}`,
    `r.status = ${p(f.status && ['active', 'ended', 'annulled'].includes(f.status) ? f.status : 'active')}`,
  ];
  if (f.address)
    where.push(
      `a.search_text LIKE ${p(`%${normalizeForSearch(f.address).replace(/[%_\\]/g, '\\$&')}%`)}`,
    );
  if (f.street) where.push(`a.street ILIKE ${p(`${f.street.replace(/[%_\\]/g, '\\$&')}%`)}`);
  if (f.ageMin !== undefined) where.push(`p.birth_date <= ${p(yearsBefore(today, f.ageMin))}`);
  if (f.ageMax !== undefined) where.push(`p.birth_date > ${p(yearsBefore(today, f.ageMax + 1))}`);
  if (f.declaredFrom) where.push(`r.valid_from >= ${p(f.declaredFrom)}`);
  if (f.declaredTo) where.push(`r.valid_from <= ${p(f.declaredTo)}`);
  const childrenMin = kind === 'large-families' ? Math.max(3, f.childrenMin ?? 3) : f.childrenMin;
  const withChildren = childrenMin !== undefined && childrenMin > 0;
  let children = 'NULL::int';
  if (withChildren) {
    children = `(SELECT count(*)::int FROM sim_family_links l JOIN sim_persons c ON c.personal_code = l.related_code
                  WHERE l.personal_code = p.personal_code AND l.kind = 'parent' AND c.birth_date > ${p(yearsBefore(today, 18))})`;
    where.push(`${children} >= ${p(childrenMin)}`);
  }
  if (after) where.push(`r.id > ${p(after)}::bigint`);
  return {
    sql: `SELECT r.id::text AS key, p.personal_code, p.given_name, p.family_name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date,
            a.full_text AS address, to_char(r.valid_from, 'YYYY-MM-DD') AS declared_from, r.status, ${children} AS children, NULL::int AS persons_declared
          FROM sim_residences r
          JOIN sim_addresses a ON a.code = r.address_code
          JOIN sim_persons p ON p.personal_code = r.personal_code
          WHERE ${where.join(' AND ')}
          ORDER BY r.id LIMIT ${p(limit)}`,
    params,
  };
}

export const toListRow = (r: Record<string, unknown>): ListRow => ({
  key: String(r.key),
  personalCode: String(r.personal_code),
  givenName: String(r.given_name ?? ''),
  familyName: String(r.family_name ?? ''),
  birthDate: String(r.birth_date ?? ''),
  address: String(r.address ?? ''),
  declaredFrom: String(r.declared_from ?? ''),
  status: String(r.status),
  children: r.children === null || r.children === undefined ? null : Number(r.children),
  personsDeclared:
    r.persons_declared === null || r.persons_declared === undefined
      ? null
      : Number(r.persons_declared),
});
