import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import {
  addDays,
  addWorkingDays,
  nextWorkingDayOnOrAfter,
  shiftMonths,
  type IsoDate,
  type WorkingCalendar,
} from '../../deadlines/calendar/working-days';

export type PeriodUnit = 'working_days' | 'days' | 'months';

export const isPeriodUnit = (u: string): u is PeriodUnit =>
  u === 'working_days' || u === 'days' || u === 'months';

/**
 * The last day of a period of `value` units that starts running the day after `from`.
 * `working_days` count the jurisdiction's working days; with `endOnWorkingDay` (a term the person
 * must act within, APL art. 43) a period in days or months that ends on a Saturday, Sunday or
 * holiday ends on the next working day. A "deemed notified on the Nth day" date does not move.
 */
export function periodEnd(
  cal: WorkingCalendar,
  from: IsoDate,
  value: number,
  unit: string,
  endOnWorkingDay: boolean,
): IsoDate {
  if (!Number.isInteger(value) || value < 0 || !isPeriodUnit(unit))
    throw new DomainError(
      ErrorCode.Misconfigured,
      `a period must be a whole number of working_days, days or months (got ${value} ${unit})`,
    );
  if (unit === 'working_days') return addWorkingDays(cal, from, value);
  const end = unit === 'days' ? addDays(from, value) : shiftMonths(from, value);
  return endOnWorkingDay ? nextWorkingDayOnOrAfter(cal, end) : end;
}
