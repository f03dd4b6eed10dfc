import {
  addDays,
  addWorkingDays,
  daysBetween,
  nextWorkingDayOnOrAfter,
  shiftMonths,
  workingDaysBetween,
  type IsoDate,
  type WorkingCalendar,
} from './calendar/working-days';

export type TermUnit = 'months' | 'working_days';
/** After a pause: `shift` moves the due date by the paused time; `restart` runs the whole term again from the resume date. */
export type ResumeMode = 'shift' | 'restart';

export interface DeadlineTerms {
  unit: TermUnit;
  amount: number;
  /** Longest allowed term (same unit) when extended, counted from the start; null = no extension. */
  maxExtension: number | null;
  warnBefore: number;
  onResume: ResumeMode;
}

export interface PauseSpan {
  from: IsoDate;
  /** null while the pause is open. */
  to: IsoDate | null;
  reason: string;
}

export interface ExtensionRecord {
  dueOn: IsoDate;
  reason: string;
  at: string;
  noticeMessageId: string | null;
}

export interface ComputedDue {
  dueOn: IsoDate;
  /** Due date without extensions. */
  baseDueOn: IsoDate;
  /** Latest date an extension may set; null when the rule allows none. */
  maxDueOn: IsoDate | null;
  warnOn: IsoDate;
  /** Paused time already accounted for, in the rule's counting (working or calendar days). */
  pausedDays: number;
}

function termEnd(
  cal: WorkingCalendar,
  unit: TermUnit,
  amount: number,
  from: IsoDate,
  pausedDays: number,
): IsoDate {
  switch (unit) {
    case 'working_days':
      return addWorkingDays(cal, from, amount + pausedDays);
    case 'months':
      return nextWorkingDayOnOrAfter(cal, addDays(shiftMonths(from, amount), pausedDays));
  }
}

/**
 * The due date of a deadline from what is stored about it: the calendar, the rule's terms, the start
 * date, closed pauses and extensions. Recomputing after a calendar change is calling this again.
 */
export function computeDue(
  cal: WorkingCalendar,
  terms: DeadlineTerms,
  startedOn: IsoDate,
  pauses: readonly PauseSpan[],
  extensions: readonly ExtensionRecord[],
): ComputedDue {
  const closed = pauses.filter((p): p is PauseSpan & { to: IsoDate } => p.to !== null);
  let from = startedOn;
  let pausedDays = 0;
  if (terms.onResume === 'restart' && closed.length > 0) {
    from = closed.reduce((latest, p) => (p.to > latest ? p.to : latest), closed[0].to);
  } else {
    for (const p of closed) {
      pausedDays +=
        terms.unit === 'working_days'
          ? workingDaysBetween(cal, p.from, p.to)
          : daysBetween(p.from, p.to);
    }
  }
  const baseDueOn = termEnd(cal, terms.unit, terms.amount, from, pausedDays);
  const maxDueOn =
    terms.maxExtension === null
      ? null
      : termEnd(cal, terms.unit, terms.maxExtension, from, pausedDays);
  let dueOn = baseDueOn;
  const last = extensions.at(-1);
  if (last) {
    const extended = nextWorkingDayOnOrAfter(cal, last.dueOn);
    if (extended > dueOn) dueOn = extended;
  }
  return {
    dueOn,
    baseDueOn,
    maxDueOn,
    warnOn: addWorkingDays(cal, dueOn, -terms.warnBefore),
    pausedDays,
  };
}
