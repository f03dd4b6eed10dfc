import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../platform/clock/clock';
import { CalendarService } from '../../deadlines/calendar/calendar.service';
import { TIME_ZONES, localDate } from '../../deadlines/calendar/time-zone';
import type { IsoDate } from '../../deadlines/calendar/working-days';

/**
 * Legal dates of residence matters (declared on, annulled from, age, statistics periods) are local
 * dates of the municipality: a declaration at 00:30 in Riga is dated that day, not the UTC day before.
 */
@Injectable()
export class MunicipalDates {
  constructor(
    private readonly calendars: CalendarService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async timeZone(municipalityId: string): Promise<string> {
    return TIME_ZONES[await this.calendars.countryOf(municipalityId)];
  }

  async today(municipalityId: string, now?: Date): Promise<IsoDate> {
    return localDate(now ?? this.clock.now(), await this.timeZone(municipalityId));
  }
}
