import { Module } from '@nestjs/common';
import { CalendarService } from './calendar.service';

/** Working-day calendars, shared by deadlines and delivery (deemed-notified dates). */
@Module({ providers: [CalendarService], exports: [CalendarService] })
export class CalendarModule {}
