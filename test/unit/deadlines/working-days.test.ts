import {
  HolidayCalendar,
  isSupportedCountry,
  publicHolidays,
} from '../../../src/deadlines/calendar/holiday-calendar';
import { endOfLocalDay, localDate, zonedInstant } from '../../../src/deadlines/calendar/time-zone';
import {
  addCalendarMonths,
  addDays,
  addWorkingDays,
  isIsoDate,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
  parseIsoDate,
  shiftMonths,
  workingDaysBetween,
  type WorkingCalendar,
} from '../../../src/deadlines/calendar/working-days';

const LV = new HolidayCalendar('LV');
const GR = new HolidayCalendar('GR');

describe('Latvian working days (2026)', () => {
  it('knows the 2026 public holidays, including Easter Friday and Monday and Midsummer', () => {
    const h = publicHolidays('LV', 2026);
    for (const d of [
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-01',
      '2026-05-04',
      '2026-06-23',
      '2026-06-24',
      '2026-11-18',
      '2026-12-24',
      '2026-12-25',
      '2026-12-31',
    ]) {
      expect(h.has(d)).toBe(true);
    }
    expect(h.has('2026-05-10')).toBe(false); // Mother's day is an observance, not a day off
  });

  it('treats weekends and holidays as non-working days', () => {
    expect(isWorkingDay(LV, '2026-04-02')).toBe(true); // Maundy Thursday
    expect(isWorkingDay(LV, '2026-04-03')).toBe(false); // Good Friday
    expect(isWorkingDay(LV, '2026-04-06')).toBe(false); // Easter Monday
    expect(isWorkingDay(LV, '2026-04-07')).toBe(true);
    expect(isWorkingDay(LV, '2026-03-07')).toBe(false); // Saturday
  });

  it('counts working days from the day after the event and skips Easter', () => {
    // Received Wednesday 1 April 2026: 2 Apr (1), 7 Apr (2) … Easter Friday and Monday are skipped.
    expect(addWorkingDays(LV, '2026-04-01', 1)).toBe('2026-04-02');
    expect(addWorkingDays(LV, '2026-04-01', 2)).toBe('2026-04-07');
    expect(addWorkingDays(LV, '2026-04-01', 10)).toBe('2026-04-17');
  });

  it('gives 10 working days across Midsummer (Līgo, Jāņi) in June 2026', () => {
    // Mon 15 Jun + 10 working days: 16,17,18,19,22, (23,24 holidays) 25,26,29,30 Jun, 1 Jul
    expect(addWorkingDays(LV, '2026-06-15', 10)).toBe('2026-07-01');
  });

  it('counts backwards for warnings', () => {
    expect(addWorkingDays(LV, '2026-04-07', -1)).toBe('2026-04-02');
    expect(addWorkingDays(LV, '2026-04-17', -10)).toBe('2026-04-01');
    expect(addWorkingDays(LV, '2026-04-16', 0)).toBe('2026-04-16');
  });

  it('measures working days between two dates, excluding the first and including the last', () => {
    expect(workingDaysBetween(LV, '2026-04-01', '2026-04-17')).toBe(10);
    expect(workingDaysBetween(LV, '2026-04-17', '2026-04-01')).toBe(-10);
    expect(workingDaysBetween(LV, '2026-04-02', '2026-04-06')).toBe(0);
    expect(workingDaysBetween(LV, '2026-12-23', '2027-01-04')).toBe(4); // 28,29,30 Dec and 4 Jan
  });

  it('honours an administrator-decreed working Saturday and an extra holiday', () => {
    // A Saturday made a working day to bridge a Monday (as the Cabinet decrees each year).
    const cal = new HolidayCalendar('LV', [
      { date: '2026-06-20', kind: 'extra_working_day' },
      { date: '2026-06-22', kind: 'extra_holiday' },
    ]);
    expect(cal.isWorkingDay('2026-06-20')).toBe(true);
    expect(cal.isWorkingDay('2026-06-22')).toBe(false);
    expect(addWorkingDays(cal, '2026-06-18', 2)).toBe('2026-06-20');
    expect(addWorkingDays(LV, '2026-06-18', 2)).toBe('2026-06-22');
  });
});

describe('terms in months (APL art. 43)', () => {
  it('ends on the same date of the next month', () => {
    expect(addCalendarMonths(LV, '2026-02-10', 1)).toBe('2026-03-10');
  });

  it('ends on the last day of a shorter month', () => {
    expect(shiftMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(shiftMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(shiftMonths('2026-01-31', 4)).toBe('2026-05-31');
  });

  it('moves to the next working day when the date falls on a weekend or holiday', () => {
    expect(addCalendarMonths(LV, '2026-03-03', 1)).toBe('2026-04-07'); // 3 Apr Good Friday → Tue after Easter
    expect(addCalendarMonths(LV, '2026-01-31', 1)).toBe('2026-03-02'); // 28 Feb is a Saturday
    expect(addCalendarMonths(LV, '2026-04-18', 1)).toBe('2026-05-18');
    expect(addCalendarMonths(LV, '2026-10-18', 1)).toBe('2026-11-19'); // 18 Nov is a holiday
  });

  it('stops a moved term on a decreed working Saturday', () => {
    const cal = new HolidayCalendar('LV', [{ date: '2026-02-28', kind: 'extra_working_day' }]);
    expect(addCalendarMonths(cal, '2026-01-31', 1)).toBe('2026-02-28');
  });
});

describe('jurisdictions', () => {
  it('supports the Latvian and Greek calendars only, by their ISO codes', () => {
    expect(isSupportedCountry('LV')).toBe(true);
    expect(isSupportedCountry('GR')).toBe(true);
    expect(isSupportedCountry('lv')).toBe(false);
    expect(isSupportedCountry('EE')).toBe(false);
  });
});

describe('Greek working days', () => {
  it('uses Orthodox Easter, not Western Easter', () => {
    expect(isWorkingDay(GR, '2026-04-03')).toBe(true); // Western Good Friday is a working day in Greece
    expect(isWorkingDay(GR, '2026-04-06')).toBe(true); // Western Easter Monday
    expect(isWorkingDay(GR, '2026-04-10')).toBe(false); // Orthodox Good Friday
    expect(isWorkingDay(GR, '2026-04-13')).toBe(false); // Orthodox Easter Monday
    expect(isWorkingDay(GR, '2026-02-23')).toBe(false); // Clean Monday
    expect(isWorkingDay(GR, '2026-06-01')).toBe(false); // Whit Monday (Agiou Pnevmatos)
    expect(addWorkingDays(GR, '2026-04-08', 2)).toBe('2026-04-14');
  });
});

describe('local dates and times', () => {
  it('places an evening UTC receipt on the next day in Riga', () => {
    expect(localDate(new Date('2026-03-02T22:30:00Z'), 'Europe/Riga')).toBe('2026-03-03');
    expect(localDate(new Date('2026-03-02T21:30:00Z'), 'Europe/Riga')).toBe('2026-03-02');
  });

  it('gives the same local date as the time-zone database for any instant, around every transition', () => {
    // The quarter-hour offset cache must never differ from Intl, also at the switch to and from
    // summer time and for local mean time (Riga until 1926: +01:36:34, not a quarter hour).
    const reference = (at: Date, timeZone: string) =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(at);
    const instants: Date[] = [];
    for (const iso of [
      '2026-03-29T01:00:00Z',
      '2026-10-25T01:00:00Z',
      '2026-04-05T15:00:00Z',
      '2026-10-04T15:45:00Z',
    ]) {
      for (let d = -30 * 3_600_000; d <= 30 * 3_600_000; d += 7 * 60_000 + 1)
        instants.push(new Date(Date.parse(iso) + d));
    }
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++)
      instants.push(
        new Date(Date.UTC(1880, 0, 1) + random() * (Date.UTC(2100, 0, 1) - Date.UTC(1880, 0, 1))),
      );
    for (const timeZone of [
      'Europe/Riga',
      'Europe/Athens',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
    ]) {
      for (const at of instants)
        expect(`${timeZone} ${at.toISOString()} ${localDate(at, timeZone)}`).toBe(
          `${timeZone} ${at.toISOString()} ${reference(at, timeZone)}`,
        );
    }
    expect(() => localDate(new Date(Number.NaN), 'Europe/Riga')).toThrow(RangeError);
  });

  it('turns a local day end into an instant across summer time', () => {
    expect(endOfLocalDay('2026-01-15', 'Europe/Riga').toISOString()).toBe(
      '2026-01-15T21:59:59.999Z',
    );
    expect(endOfLocalDay('2026-07-15', 'Europe/Riga').toISOString()).toBe(
      '2026-07-15T20:59:59.999Z',
    );
    expect(zonedInstant('2026-03-29', 'Europe/Athens', 8).toISOString()).toBe(
      '2026-03-29T05:00:00.000Z',
    );
  });

  it('finds the next working day on or after a date', () => {
    expect(nextWorkingDayOnOrAfter(LV, '2026-12-24')).toBe('2026-12-28');
    expect(nextWorkingDayOnOrAfter(LV, '2026-12-28')).toBe('2026-12-28');
  });
});

describe('dates the arithmetic accepts and refuses', () => {
  const never: WorkingCalendar = { isWorkingDay: () => false };
  const onlyOn = (date: string): WorkingCalendar => ({ isWorkingDay: (d) => d === date });

  it('accepts real ISO dates only, naming the input in the error', () => {
    expect(parseIsoDate('2028-02-29')).toEqual({ y: 2028, m: 2, d: 29 });
    expect(() => parseIsoDate('2026-2-28')).toThrow(
      new RangeError('not an ISO date (YYYY-MM-DD): 2026-2-28'),
    );
    expect(() => parseIsoDate('x2026-02-28')).toThrow(
      new RangeError('not an ISO date (YYYY-MM-DD): x2026-02-28'),
    );
    expect(() => parseIsoDate('2026-02-28x')).toThrow(
      new RangeError('not an ISO date (YYYY-MM-DD): 2026-02-28x'),
    );
    expect(() => parseIsoDate('2026-02-29')).toThrow(new RangeError('no such date: 2026-02-29'));
    expect(() => parseIsoDate('2026-13-01')).toThrow(new RangeError('no such date: 2026-13-01'));
    expect(() => parseIsoDate('2026-04-00')).toThrow(new RangeError('no such date: 2026-04-00'));
  });

  it('refuses years before 100, which Date.UTC would silently move into the 1900s', () => {
    expect(() => parseIsoDate('0050-01-01')).toThrow(new RangeError('no such date: 0050-01-01'));
  });

  it('tells a date string from anything else', () => {
    expect(isIsoDate('2026-12-31')).toBe(true);
    expect(isIsoDate('2026-12-32')).toBe(false);
    expect(isIsoDate('31.12.2026')).toBe(false);
    expect(isIsoDate(20261231)).toBe(false);
    expect(isIsoDate(new Date('2026-12-31'))).toBe(false);
    expect(isIsoDate(null)).toBe(false);
    // A type guard: an object that prints as a date is still not a date string.
    expect(isIsoDate({ toString: () => '2026-12-31' })).toBe(false);
    expect(isIsoDate(new String('2026-12-31'))).toBe(false);
  });

  it('refuses fractional terms, naming the value', () => {
    expect(() => addWorkingDays(LV, '2026-04-01', 1.5)).toThrow(
      new RangeError('working days must be a whole number: 1.5'),
    );
    expect(() => shiftMonths('2026-04-01', 0.5)).toThrow(
      new RangeError('months must be a whole number: 0.5'),
    );
    expect(() => addCalendarMonths(LV, '2026-04-01', Number.NaN)).toThrow(
      new RangeError('months must be a whole number: NaN'),
    );
  });

  it('counts no working days between a date and itself', () => {
    expect(workingDaysBetween(LV, '2026-04-07', '2026-04-07')).toBe(0);
    expect(workingDaysBetween(LV, '2026-04-04', '2026-04-04')).toBe(0);
  });

  it('looks at most a year ahead for the next working day (a year of days off is a broken calendar)', () => {
    expect(() => nextWorkingDayOnOrAfter(never, '2026-01-01')).toThrow(
      new RangeError('no working day within a year after 2026-01-01'),
    );
    // 367 days later is still found; 368 is not.
    expect(nextWorkingDayOnOrAfter(onlyOn(addDays('2026-01-01', 367)), '2026-01-01')).toBe(
      '2027-01-03',
    );
    expect(() => nextWorkingDayOnOrAfter(onlyOn(addDays('2026-01-01', 368)), '2026-01-01')).toThrow(
      RangeError,
    );
  });

  it('looks at most ten years either way for working days to count', () => {
    expect(() => addWorkingDays(never, '2026-01-01', 1)).toThrow(
      new RangeError('too few working days around 2026-01-01'),
    );
    expect(() => addWorkingDays(never, '2026-01-01', -1)).toThrow(
      new RangeError('too few working days around 2026-01-01'),
    );
    expect(addWorkingDays(onlyOn(addDays('2026-01-01', 3661)), '2026-01-01', 1)).toBe(
      addDays('2026-01-01', 3661),
    );
    expect(() => addWorkingDays(onlyOn(addDays('2026-01-01', 3662)), '2026-01-01', 1)).toThrow(
      RangeError,
    );
  });
});
