import { Injectable } from '@nestjs/common';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { CalendarService } from './calendar/calendar.service';
import { localDate } from './calendar/time-zone';
import {
  addDays,
  daysBetween,
  weekday,
  workingDaysBetween,
  type IsoDate,
} from './calendar/working-days';
import { Deadline } from './deadline.entity';
import { toView, type DeadlineView } from './deadline-view';

export interface OverdueDeadline extends DeadlineView {
  daysOverdue: number;
  workingDaysOverdue: number;
}

export interface DeadlineDashboard {
  today: IsoDate;
  /** Running deadlines due from today to Sunday of this week. */
  dueThisWeek: DeadlineView[];
  /** Not met and past the due day, most overdue first. */
  overdue: OverdueDeadline[];
  paused: DeadlineView[];
}

/** Lists for the staff workspace and the manager dashboard. */
@Injectable()
export class DeadlineDashboardService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly calendars: CalendarService,
  ) {}

  async dashboard(municipalityId: string, now: Date = new Date()): Promise<DeadlineDashboard> {
    const { timeZone, calendar } = await this.calendars.forMunicipality(municipalityId);
    const today = localDate(now, timeZone);
    const sunday = addDays(today, (7 - weekday(today)) % 7);
    return this.tenantDb.run(municipalityId, async (em) => {
      const repo = em.getRepository(Deadline);
      const dueThisWeek = await repo
        .createQueryBuilder('d')
        .where(`d.status = 'running' AND d.due_on BETWEEN :today AND :sunday`, { today, sunday })
        .orderBy('d.due_on')
        .getMany();
      const overdue = await repo
        .createQueryBuilder('d')
        .where(`d.status IN ('running', 'missed') AND d.due_on < :today`, { today })
        .orderBy('d.due_on')
        .getMany();
      const paused = await repo
        .createQueryBuilder('d')
        .where(`d.status = 'paused'`)
        .orderBy('d.due_on')
        .getMany();
      return {
        today,
        dueThisWeek: dueThisWeek.map((d) => toView(d)),
        overdue: overdue.map((d) => ({
          ...toView(d),
          daysOverdue: daysBetween(d.dueOn, today),
          workingDaysOverdue: workingDaysBetween(calendar, d.dueOn, today),
        })),
        paused: paused.map((d) => toView(d)),
      };
    });
  }
}
