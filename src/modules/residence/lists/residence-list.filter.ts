import type { FieldError } from '../../../platform/errors/domain-error';

export const LIST_KINDS = ['persons', 'declarations', 'large-families'] as const;
export type ListKind = (typeof LIST_KINDS)[number];
/**
 * One status vocabulary per list: the register lists filter a person's residence (current, ended,
 * annulled), the declarations list the declaration's own state. Never the two mixed in one filter.
 */
export const STATUSES_BY_KIND: Record<ListKind, readonly string[]> = {
  persons: ['active', 'ended', 'annulled'],
  'large-families': ['active', 'ended', 'annulled'],
  declarations: ['submitted', 'registered', 'rejected'],
};

/** A user-composed list filter; every field optional. */
export interface ListFilter {
  address?: string;
  street?: string;
  ageMin?: number;
  ageMax?: number;
  /** Family size: at least this many minor children. */
  childrenMin?: number;
  declaredFrom?: string;
  declaredTo?: string;
  status?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string): boolean =>
  DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** Parses query-string filters; bad values are field errors (i18n keys), nothing is guessed. */
export function parseFilter(
  q: Record<string, unknown>,
  kind: ListKind = 'persons',
): { filter: ListFilter; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const filter: ListFilter = {};
  const str = (k: string): string | undefined =>
    typeof q[k] === 'string' && (q[k] as string).trim()
      ? (q[k] as string).trim().slice(0, 200)
      : undefined;
  const int = (k: keyof ListFilter, min: number, max: number): void => {
    const v = str(k);
    if (v === undefined) return;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      errors.push({ field: k, message: 'residence:lists.errors.number', params: { min, max } });
    else (filter as Record<string, number>)[k] = n;
  };
  filter.address = str('address');
  filter.street = str('street');
  int('ageMin', 0, 130);
  int('ageMax', 0, 130);
  int('childrenMin', 0, 20);
  for (const k of ['declaredFrom', 'declaredTo'] as const) {
    const v = str(k);
    if (v === undefined) continue;
    if (!validDate(v)) errors.push({ field: k, message: 'residence:lists.errors.date' });
    else filter[k] = v;
  }
  const status = str('status');
  if (status !== undefined) {
    if (!STATUSES_BY_KIND[kind].includes(status))
      errors.push({ field: 'status', message: 'residence:lists.errors.status' });
    else filter.status = status;
  }
  if (filter.ageMin !== undefined && filter.ageMax !== undefined && filter.ageMin > filter.ageMax)
    errors.push({ field: 'ageMax', message: 'residence:lists.errors.ageRange' });
  for (const k of Object.keys(filter) as (keyof ListFilter)[])
    if (filter[k] === undefined) delete filter[k];
  return { filter, errors };
}

/** The filter as query-string pairs (for links, saved lists and exports). */
export const filterToQuery = (f: ListFilter): Record<string, string> =>
  Object.fromEntries(
    Object.entries(f)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
