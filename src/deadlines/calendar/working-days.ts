/**
 * Working-day arithmetic on local calendar dates ("YYYY-MM-DD" in the jurisdiction's own time
 * zone). Pure: no clock, no I/O; the calendar is passed in.
 *
 * Counting follows Administratīvā procesa likums (APL, likumi.lv/ta/id/55567) art. 42–43, which
 * govern the start and end of procedural terms (Supreme Court, SKA-483/2022: hours do not count,
 * the day or date does): a term starts running on the day after the event that starts it; a term
 * in months ends on the same date of the last month (the last day of that month when it has no such
 * date); a term ending on a Saturday, Sunday or holiday ends on the next working day. The wording of
 * the paragraphs was not retrievable here: see docs/deadlines-and-delivery.md.
 */

/** A local calendar date, ISO "YYYY-MM-DD". */
export type IsoDate = string;

export interface WorkingCalendar {
  isWorkingDay(date: IsoDate): boolean;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function parseIsoDate(date: IsoDate): { y: number; m: number; d: number } {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const back = new Date(Date.UTC(y, mo - 1, d));
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`no such date: ${date}`);
  }
  return { y, m: mo, d };
}

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

const toUtcMs = (date: IsoDate): number => {
  const { y, m, d } = parseIsoDate(date);
  return Date.UTC(y, m - 1, d);
};
const fromUtcMs = (ms: number): IsoDate => new Date(ms).toISOString().slice(0, 10);

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (date: IsoDate): number => new Date(toUtcMs(date)).getUTCDay();

export const addDays = (date: IsoDate, days: number): IsoDate =>
  fromUtcMs(toUtcMs(date) + days * DAY_MS);

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: IsoDate, to: IsoDate): number =>
  Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);

export const isWorkingDay = (cal: WorkingCalendar, date: IsoDate): boolean =>
  cal.isWorkingDay(date);

/** `date` itself when it is a working day, otherwise the next working day. */
export function nextWorkingDayOnOrAfter(cal: WorkingCalendar, date: IsoDate): IsoDate {
  let d = date;
  for (let guard = 0; !cal.isWorkingDay(d); guard++) {
    if (guard > 366) throw new RangeError(`no working day within a year after ${date}`);
    d = addDays(d, 1);
  }
  return d;
}

/**
 * Moves `n` working days from `date`: the day after `date` is the first counted day (APL art. 42).
 * Negative `n` counts backwards (used for "warn N working days before the due date"); 0 returns `date`.
 */
export function addWorkingDays(cal: WorkingCalendar, date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number: ${n}`);
  const step = (n < 0 ? -1 : 1) * DAY_MS;
  let ms = toUtcMs(date);
  let d = date;
  for (let left = Math.abs(n), guard = 0; left > 0; guard++) {
    if (guard > 3660) throw new RangeError(`too few working days around ${date}`);
    ms += step;
    d = fromUtcMs(ms);
    if (cal.isWorkingDay(d)) left--;
  }
  return d;
}

/** Working days in the interval (from, to]: days after `from` up to and including `to`; negative when reversed. */
export function workingDaysBetween(cal: WorkingCalendar, from: IsoDate, to: IsoDate): number {
  if (to < from) return -workingDaysBetween(cal, to, from);
  let n = 0;
  const end = toUtcMs(to);
  for (let ms = toUtcMs(from) + DAY_MS; ms <= end; ms += DAY_MS)
    if (cal.isWorkingDay(fromUtcMs(ms))) n++;
  return n;
}

/** The same date `months` later; the last day of the target month when it has no such date (31 Jan + 1 → 28/29 Feb). */
export function shiftMonths(date: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months)) throw new RangeError(`months must be a whole number: ${months}`);
  const { y, m, d } = parseIsoDate(date);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return fromUtcMs(target.getTime());
}

/**
 * End of a term of `months` months that started with an event on `date` (APL art. 43): the same
 * date of the last month, moved to the next working day when that is a Saturday, Sunday or holiday.
 */
export function addCalendarMonths(cal: WorkingCalendar, date: IsoDate, months: number): IsoDate {
  return nextWorkingDayOnOrAfter(cal, shiftMonths(date, months));
}
