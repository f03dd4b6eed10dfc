import type { CalendarService } from '../../../src/deadlines/calendar/calendar.service';
import { MunicipalDates } from '../../../src/modules/residence/municipal-dates';
import { SystemClock } from '../../../src/platform/clock/clock';

const dates = (country: 'LV' | 'GR') =>
  new MunicipalDates(
    { countryOf: () => Promise.resolve(country) } as unknown as CalendarService,
    new SystemClock(),
  );

describe('municipal dates', () => {
  it('dates an instant late on 31 March UTC as 1 April in a Latvian municipality', async () => {
    expect(await dates('LV').today('m', new Date('2026-03-31T22:30:00Z'))).toBe('2026-04-01');
    expect(await dates('LV').timeZone('m')).toBe('Europe/Riga');
  });
  it('keeps the same UTC day when it is still that day locally', async () => {
    expect(await dates('LV').today('m', new Date('2026-03-31T20:30:00Z'))).toBe('2026-03-31');
    expect(await dates('GR').today('m', new Date('2026-12-31T22:30:00Z'))).toBe('2027-01-01');
  });
});
