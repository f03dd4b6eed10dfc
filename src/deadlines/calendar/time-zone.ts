import { Memo } from '../../platform/memo';
import type { CountryCode } from './holiday-calendar';
import type { IsoDate } from './working-days';

/** Legal dates are local dates of the jurisdiction: a 23:30 UTC receipt in Riga is already the next day. */
export const TIME_ZONES: Record<CountryCode, string> = { LV: 'Europe/Riga', GR: 'Europe/Athens' };

const formatters = new Memo<string, Intl.DateTimeFormat>(64);
const formatter = (timeZone: string): Intl.DateTimeFormat =>
  formatters.get(
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  );

function wallClock(
  instant: Date,
  timeZone: string,
): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((x) => [x.type, x.value]),
  );
  return { y: +p.year, mo: +p.month, d: +p.day, h: +p.hour, mi: +p.minute, s: +p.second };
}

const offsetOf = (instant: Date, timeZone: string): number => {
  const w = wallClock(instant, timeZone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(instant.getTime() / 1000) * 1000;
};

/**
 * UTC offsets by quarter hour, per zone: `formatToParts` costs microseconds and a page of tasks asks
 * for a hundred local dates. A quarter hour is cached only when its start and end have the same
 * offset, so a transition inside it (historic local mean times) is always computed exactly.
 */
const QUARTER_HOUR = 900_000;
const offsets = new Memo<string, Memo<number, number | null>>(64);
const offsetMs = (instant: Date, timeZone: string): number => {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) return offsetOf(instant, timeZone);
  const bucket = Math.floor(ms / QUARTER_HOUR);
  // null: the offset changes inside this quarter hour.
  const off = offsets
    .get(timeZone, () => new Memo(20_000))
    .get(bucket, () => {
      const start = offsetOf(new Date(bucket * QUARTER_HOUR), timeZone);
      return start === offsetOf(new Date((bucket + 1) * QUARTER_HOUR - 1000), timeZone)
        ? start
        : null;
    });
  return off ?? offsetOf(instant, timeZone);
};

/** The local date of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): IsoDate {
  const local = new Date(instant.getTime() + offsetMs(instant, timeZone));
  if (Number.isNaN(local.getTime()))
    throw new RangeError(`not a valid instant: ${String(instant)}`);
  return local.toISOString().slice(0, 10);
}

/** The instant when the wall clock in `timeZone` shows `date` at hh:mm:ss.ms. */
export function zonedInstant(date: IsoDate, timeZone: string, h = 0, mi = 0, s = 0, ms = 0): Date {
  const [y, mo, d] = date.split('-').map(Number);
  const guess = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  let t = guess - offsetMs(new Date(guess), timeZone);
  const again = guess - offsetMs(new Date(t), timeZone);
  if (again !== t) t = again;
  return new Date(t);
}

/** Last millisecond of a local day: a legal term ending on `date` runs until then. */
export const endOfLocalDay = (date: IsoDate, timeZone: string): Date =>
  zonedInstant(date, timeZone, 23, 59, 59, 999);
