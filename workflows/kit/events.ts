import type { EventDef, EventTopic } from './types';

/** An event declared once and imported by both the process that waits and the API that sends. */
export interface Event<T> extends EventDef<T> {
  /** The topic for one instance, e.g. `task.completed:<taskId>`. */
  for(id: string): EventTopic<T>;
  /** The topic when the event has a single instance per case. */
  readonly topic: EventTopic<T>;
}

export function defineEvent<T>(name: string): Event<T> {
  if (!/^[a-z][a-z0-9_.-]*$/.test(name) || name.includes(':'))
    throw new Error(`bad event name: ${name}`);
  return Object.freeze({
    name,
    topic: { topic: name },
    for: (id: string): EventTopic<T> => {
      if (!id) throw new Error(`event ${name}: empty instance id`);
      return { topic: `${name}:${id}` };
    },
  });
}

/**
 * Payload of `task.completed:<taskId>`, sent by the task service once it has authorised, validated
 * and stored the decision. It names the task only: the run reads the decision from the case file
 * (activity `readTaskDecision`), so a forged or replayed signal cannot choose the outcome (issue 12 H4).
 */
export interface TaskCompleted {
  taskId: string;
}

/**
 * What the signal carried before issue 12 H4 (decision included). Read only when a run re-executes
 * a completion recorded before that change; never trusted for new work.
 */
export interface LegacyTaskCompleted<D = unknown> extends TaskCompleted {
  decision: D;
  completedBy: string;
  completedAt: string;
}

/** Kit-wide events. Process-specific events live next to their process. */
export const taskCompleted = defineEvent<TaskCompleted>('task.completed');
