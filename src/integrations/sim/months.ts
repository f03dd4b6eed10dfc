import { DomainError } from '../../platform/errors/domain-error';

/** A range of calendar months, both ends included, as YYYY-MM (the period a means test looks at). */
export interface MonthRange {
  from: string;
  to: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** The most months one register request may cover (irregular income is assessed over 12). */
export const MAX_MONTHS = 24;

const index = (m: string): number => {
  const [, y, mm] = MONTH.exec(m)!;
  return Number(y) * 12 + Number(mm) - 1;
};
const fromIndex = (i: number): string =>
  `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

/** The months of a range in order; a malformed or too long range is a validation error. */
export function monthsOf(range: MonthRange): string[] {
  const bad = (field: string) =>
    DomainError.validation([{ field, message: 'registers:period.invalid' }]);
  if (!MONTH.test(range.from)) throw bad('from');
  if (!MONTH.test(range.to)) throw bad('to');
  const a = index(range.from);
  const b = index(range.to);
  if (b < a || b - a + 1 > MAX_MONTHS) throw bad('to');
  return Array.from({ length: b - a + 1 }, (_, k) => fromIndex(a + k));
}

/** The first and last day of a month (YYYY-MM-DD). */
export function monthBounds(month: string): { first: string; last: string } {
  const i = index(month) + 1;
  const last = new Date(Date.UTC(Math.floor(i / 12), i % 12, 0)).toISOString().slice(0, 10);
  return { first: `${month}-01`, last };
}

/** The `count` full months before the month of `date` (YYYY-MM-DD): the 3 months a means test uses. */
export function fullMonthsBefore(date: string, count: number): MonthRange {
  const i = index(date.slice(0, 7));
  return { from: fromIndex(i - count), to: fromIndex(i - 1) };
}

/** Whether something valid from..to (dates, to open-ended when null) covers any day of the month. */
export function activeInMonth(validFrom: string, validTo: string | null, month: string): boolean {
  const { first, last } = monthBounds(month);
  return validFrom <= last && (validTo === null || validTo >= first);
}

/** A calendar date (YYYY-MM-DD) a register request names; anything else is a validation error. */
export function requireDate(field: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw DomainError.validation([{ field, message: 'registers:date.invalid' }]);
  return value;
}
