import type { CalendarService } from '../deadlines/calendar/calendar.service';
import { localDate } from '../deadlines/calendar/time-zone';
import {
  workingDaysBetween,
  type IsoDate,
  type WorkingCalendar,
} from '../deadlines/calendar/working-days';
import { Memo } from '../platform/memo';

export type DueTone = 'red' | 'orange' | 'yellow' | 'green';

export interface DueInfo {
  dueOn: IsoDate;
  /** Working days from today to the due day; negative when overdue. */
  workingDaysLeft: number;
  overdue: boolean;
  tone: DueTone;
}

/** Colour of a due-date tag: red overdue, orange due today/tomorrow, yellow within 5 working days. */
export function dueTone(workingDaysLeft: number, overdue: boolean): DueTone {
  if (overdue) return 'red';
  if (workingDaysLeft <= 1) return 'orange';
  if (workingDaysLeft <= 5) return 'yellow';
  return 'green';
}

/**
 * Working days from one date to another, remembered per calendar object: a calendar is replaced
 * (not changed) when its exceptions change, so its entries go with it. Pages of 50 tasks ask for
 * the same few dozen due dates on every request.
 */
const spans = new WeakMap<WorkingCalendar, Memo<string, number>>();
function rememberedWorkingDays(calendar: WorkingCalendar, today: IsoDate, dueOn: IsoDate): number {
  let memo = spans.get(calendar);
  if (!memo) spans.set(calendar, (memo = new Memo(50_000)));
  return memo.get(`${today}|${dueOn}`, () => workingDaysBetween(calendar, today, dueOn));
}

/** Builds a per-municipality "due" describer over its working-day calendar. */
export async function dueDescriber(
  calendars: CalendarService,
  municipalityId: string,
  now = new Date(),
) {
  const { timeZone, calendar } = await calendars.forMunicipality(municipalityId);
  const today = localDate(now, timeZone);
  const seen = new Map<IsoDate, DueInfo>();
  return {
    today,
    timeZone,
    calendar: calendar as WorkingCalendar,
    /** For an instant (task due) or a local date (legal deadline). */
    describe(due: Date | IsoDate): DueInfo {
      const dueOn = typeof due === 'string' ? due : localDate(due, timeZone);
      let info = seen.get(dueOn);
      if (!info) {
        const overdue = dueOn < today;
        const workingDaysLeft = rememberedWorkingDays(calendar, today, dueOn);
        info = { dueOn, workingDaysLeft, overdue, tone: dueTone(workingDaysLeft, overdue) };
        seen.set(dueOn, info);
      }
      return info;
    },
  };
}
