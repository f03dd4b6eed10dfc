import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundle,
} from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../src/engine/temporal/temporal-worker';
import type { JsonHistory } from './history-builder';

export const quietLogger = new DefaultLogger('ERROR');
let installed = false;

/** Bundles `workflowsPath` (by default the worker's own entry, so tests cover what the worker runs). */
export async function bundleForReplay(workflowsPath = WORKFLOWS_PATH): Promise<WorkflowBundle> {
  if (!installed) {
    Runtime.install({ logger: quietLogger });
    installed = true;
  }
  return bundleWorkflowCode({ workflowsPath, logger: quietLogger });
}

/** A malformed history can make replay hang: every replay races a deadline. */
export async function replayHistory(
  workflowBundle: WorkflowBundle,
  history: JsonHistory,
  workflowId: string,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('replay timed out')), 10_000);
  });
  try {
    await Promise.race([
      Worker.runReplayHistory({ workflowBundle }, history, workflowId),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
