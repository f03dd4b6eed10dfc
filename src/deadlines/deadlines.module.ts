import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { CalendarModule } from './calendar/calendar.module';
import { DeadlineDashboardService } from './deadline-dashboard.service';
import { DeadlineRulesService } from './deadline-rules.service';
import { DeadlinesService } from './deadlines.service';

/** Legal deadlines: calendars, effective-dated rules, clocks on cases, dashboards. */
@Module({
  imports: [CalendarModule, DeliveryModule],
  providers: [DeadlineRulesService, DeadlinesService, DeadlineDashboardService],
  exports: [CalendarModule, DeadlineRulesService, DeadlinesService, DeadlineDashboardService],
})
export class DeadlinesModule {}
