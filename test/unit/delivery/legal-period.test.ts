import { HolidayCalendar } from '../../../src/deadlines/calendar/holiday-calendar';
import { periodEnd } from '../../../src/delivery/legal/legal-period';
import { DomainError } from '../../../src/platform/errors/domain-error';

const LV = new HolidayCalendar('LV');

describe('periods of the legal effect of delivery (Latvian calendar)', () => {
  it('counts working days from the day after sending: Friday → Tuesday, over Līgo and Jāņi', () => {
    expect(periodEnd(LV, '2027-01-08', 2, 'working_days', false)).toBe('2027-01-12');
    expect(periodEnd(LV, '2027-06-22', 2, 'working_days', false)).toBe('2027-06-28');
  });

  it('a letter is deemed notified on the 7th calendar day even when that is a holiday or a Sunday', () => {
    expect(periodEnd(LV, '2027-06-17', 7, 'days', false)).toBe('2027-06-24'); // Jāņi
    expect(periodEnd(LV, '2027-06-20', 7, 'days', false)).toBe('2027-06-27'); // Sunday
  });

  it('a term the person acts within ends on the next working day when its last day is not one', () => {
    expect(periodEnd(LV, '2027-01-29', 1, 'months', true)).toBe('2027-03-01'); // 28 Feb is a Sunday
    expect(periodEnd(LV, '2027-06-10', 14, 'days', true)).toBe('2027-06-25'); // 24 June → Friday 25
  });

  it('refuses a unit it cannot count (an administrator typed EUR)', () => {
    expect(() => periodEnd(LV, '2027-01-08', 2, 'EUR', false)).toThrow(DomainError);
    expect(() => periodEnd(LV, '2027-01-08', 1.5, 'days', false)).toThrow(DomainError);
  });
});
