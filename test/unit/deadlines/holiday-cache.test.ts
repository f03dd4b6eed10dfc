import { HolidayCalendar, publicHolidays } from '../../../src/deadlines/calendar/holiday-calendar';

// Deadline arithmetic asks a calendar about the same days over and over (every working-day count
// walks day by day): the holiday set of a year is built once and each day is decided once.
describe('holiday calendar caches', () => {
  it('builds the public holidays of a country and year once and hands out that same set', () => {
    const first = publicHolidays('LV', 2027);
    expect(first.has('2027-11-18')).toBe(true);
    expect(publicHolidays('LV', 2027)).toBe(first);
    expect(publicHolidays('LV', 2028)).not.toBe(first);
  });

  it('decides each day once per calendar', () => {
    const cal = new HolidayCalendar('LV');
    const compute = jest.spyOn(cal as unknown as { compute(d: string): boolean }, 'compute');
    expect(cal.isWorkingDay('2027-11-18')).toBe(false);
    expect(cal.isWorkingDay('2027-11-18')).toBe(false);
    expect(cal.isWorkingDay('2027-11-19')).toBe(true);
    expect(cal.isWorkingDay('2027-11-19')).toBe(true);
    expect(compute).toHaveBeenCalledTimes(2);
  });
});
