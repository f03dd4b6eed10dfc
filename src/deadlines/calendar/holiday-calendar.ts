import Holidays from 'date-holidays';
import { Memo } from '../../platform/memo';
import { weekday, type IsoDate, type WorkingCalendar } from './working-days';

export const SUPPORTED_COUNTRIES = ['LV', 'GR'] as const;
export type CountryCode = (typeof SUPPORTED_COUNTRIES)[number];

export const isSupportedCountry = (c: string): c is CountryCode =>
  (SUPPORTED_COUNTRIES as readonly string[]).includes(c);

export type ExceptionKind = 'extra_working_day' | 'extra_holiday';

export interface CalendarDayException {
  date: IsoDate;
  kind: ExceptionKind;
}

const sources = new Memo<CountryCode, Holidays>(SUPPORTED_COUNTRIES.length);
const years = new Memo<string, ReadonlySet<IsoDate>>(1_000);

/** Public holidays of a country in a year (date-holidays; substitute days included, observances not). */
export function publicHolidays(country: CountryCode, year: number): ReadonlySet<IsoDate> {
  return years.get(`${country}:${year}`, () => {
    const hd = sources.get(country, () => new Holidays(country));
    return new Set(
      hd
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
  });
}

/**
 * A jurisdiction's working days: Monday–Friday minus public holidays, then the administrator's
 * exceptions (a Saturday decreed a working day, an extra day off) override both.
 */
export class HolidayCalendar implements WorkingCalendar {
  private readonly overrides: ReadonlyMap<IsoDate, ExceptionKind>;

  constructor(
    readonly country: CountryCode,
    // Stryker disable next-line ArrayDeclaration: a non-empty default would map no ISO date (equivalent, docs/testing.md)
    exceptions: readonly CalendarDayException[] = [],
  ) {
    this.overrides = new Map(exceptions.map((e) => [e.date, e.kind]));
  }

  private readonly memo = new Map<IsoDate, boolean>();

  isWorkingDay(date: IsoDate): boolean {
    let v = this.memo.get(date);
    if (v === undefined) {
      v = this.compute(date);
      this.memo.set(date, v);
    }
    return v;
  }

  private compute(date: IsoDate): boolean {
    const override = this.overrides.get(date);
    if (override === 'extra_working_day') return true;
    if (override === 'extra_holiday') return false;
    const wd = weekday(date);
    if (wd === 0 || wd === 6) return false;
    return !publicHolidays(this.country, Number(date.slice(0, 4))).has(date);
  }
}
