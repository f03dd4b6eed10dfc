import { NativeConnection, Worker } from '@temporalio/worker';
import type { ActivityMap } from '../../../workflows/kit/types';
import type { AppConfig } from '../../config/config';
import { toTemporalActivities } from './temporal-activities';

/** The bundle entry: resolves to workflows/temporal.ts from src/ and to the compiled .js from dist/. */
export const WORKFLOWS_PATH = require.resolve('../../../workflows/temporal');

/**
 * A Temporal worker on the configured task queue, hosting every registered process version
 * (bundled from workflows/temporal.ts) and the activities the app builds for DBOS.
 */
export async function createTemporalWorker(
  config: AppConfig,
  activities: ActivityMap,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowsPath: WORKFLOWS_PATH,
      activities: toTemporalActivities(activities),
    });
    return { worker, connection };
  } catch (e) {
    await connection.close();
    throw e;
  }
}
