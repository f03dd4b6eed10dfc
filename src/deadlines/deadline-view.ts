import { TIME_ZONES, endOfLocalDay, zonedInstant } from './calendar/time-zone';
import type { CountryCode } from './calendar/holiday-calendar';
import type { Deadline, DeadlineStatus } from './deadline.entity';
import type { ExtensionRecord, PauseSpan } from './deadline-math';

/** Hour (local) at which a warning fires on its day. */
export const WARN_HOUR = 8;

/** An extension with when its notice left (null while the outbox has not sent it). */
export interface ExtensionView extends ExtensionRecord {
  noticeSentAt: string | null;
}

export interface DeadlineView {
  id: string;
  caseId: string;
  key: string;
  processKey: string;
  ruleKey: string;
  basis: string;
  status: DeadlineStatus;
  startedOn: string;
  dueOn: string;
  /** Instant the term runs out: end of the due day in the jurisdiction's time zone. */
  dueAt: string;
  warnOn: string;
  warnAt: string;
  maxDueOn: string | null;
  pauses: PauseSpan[];
  extensions: ExtensionView[];
  metAt: string | null;
}

export function toView(
  d: Deadline,
  noticeSentAt: ReadonlyMap<string, Date | null> = new Map(),
): DeadlineView {
  const tz = TIME_ZONES[d.country as CountryCode];
  return {
    id: d.id,
    caseId: d.caseId,
    key: d.key,
    processKey: d.processKey,
    ruleKey: d.ruleKey,
    basis: d.basis,
    status: d.status,
    startedOn: d.startedOn,
    dueOn: d.dueOn,
    dueAt: endOfLocalDay(d.dueOn, tz).toISOString(),
    warnOn: d.warnOn,
    warnAt: zonedInstant(d.warnOn, tz, WARN_HOUR).toISOString(),
    maxDueOn: d.maxDueOn,
    pauses: d.pauses,
    extensions: d.extensions.map((x) => ({
      ...x,
      noticeSentAt:
        (x.noticeMessageId && noticeSentAt.get(x.noticeMessageId)?.toISOString()) || null,
    })),
    metAt: d.metAt?.toISOString() ?? null,
  };
}
