import type { DeadlinesService } from '../../src/deadlines/deadlines.service';
import type { DeadlineView } from '../../src/deadlines/deadline-view';

export interface DeadlinePorts {
  deadlines: DeadlinesService;
}

export interface DeadlineRef {
  municipalityId: string;
  deadlineId: string;
}

/** What a process needs to set its timers: all instants are ISO strings computed here, never in process code. */
export interface DeadlineTimes {
  deadlineId: string;
  status: DeadlineView['status'];
  basis: string;
  dueOn: string;
  dueAt: string;
  warnAt: string;
}

const times = (d: DeadlineView): DeadlineTimes => ({
  deadlineId: d.id,
  status: d.status,
  basis: d.basis,
  dueOn: d.dueOn,
  dueAt: d.dueAt,
  warnAt: d.warnAt,
});

/**
 * Deadline activities. Each is idempotent: starting the same (case, key) again returns the same
 * deadline; pausing a paused or resuming a running deadline changes nothing; warnings and
 * escalations alert once per due date.
 */
export function createDeadlineActivities(ports: DeadlinePorts) {
  const { deadlines } = ports;
  return {
    async startDeadline(input: {
      municipalityId: string;
      caseId: string;
      key: string;
      ruleKey: string;
      startedAt: string;
    }): Promise<DeadlineTimes> {
      return times(await deadlines.start({ ...input, startedAt: new Date(input.startedAt) }));
    },
    async pauseDeadline(
      input: DeadlineRef & { at: string; reason: string },
    ): Promise<DeadlineTimes> {
      return times(
        await deadlines.pause(
          input.municipalityId,
          input.deadlineId,
          new Date(input.at),
          input.reason,
        ),
      );
    },
    async resumeDeadline(input: DeadlineRef & { at: string }): Promise<DeadlineTimes> {
      return times(
        await deadlines.resume(input.municipalityId, input.deadlineId, new Date(input.at)),
      );
    },
    async markMet(input: DeadlineRef & { at: string }): Promise<DeadlineTimes & { late: boolean }> {
      const d = await deadlines.markMet(input.municipalityId, input.deadlineId, new Date(input.at));
      return { ...times(d), late: new Date(input.at) > new Date(d.dueAt) };
    },
    /** Returns the current times too: if the due date moved, the process re-arms its timer. */
    async warnDeadline(input: DeadlineRef): Promise<DeadlineTimes & { warned: boolean }> {
      const r = await deadlines.warn(input.municipalityId, input.deadlineId);
      return { ...times(r.deadline), warned: r.warned };
    },
    async escalateDeadline(
      input: DeadlineRef & { at: string },
    ): Promise<DeadlineTimes & { escalated: boolean }> {
      const r = await deadlines.escalate(
        input.municipalityId,
        input.deadlineId,
        new Date(input.at),
      );
      return { ...times(r.deadline), escalated: r.escalated };
    },
  };
}

export type DeadlineActivities = ReturnType<typeof createDeadlineActivities>;
