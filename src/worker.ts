import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ConfigError, loadConfig, type AppConfig } from './config/config';
import { assertRuntimeRoles } from './platform/database/runtime-roles';
import { createTemporalWorker } from './engine/temporal/temporal-worker';
import { ProcessRegistry } from './processes/process-registry';
import { describeStartupFailure } from './startup-error';

/**
 * The Temporal worker process (no HTTP): boots the application context for the same activity
 * wiring the app uses, then polls the task queue until SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    // The worker always pairs with a Temporal client app; the engine choice only selects the adapter.
    config = Object.freeze({ ...loadConfig(), ENGINE: 'temporal' as const });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  await assertRuntimeRoles(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const log = app.get(Logger);
  const { worker, connection } = await createTemporalWorker(
    config,
    app.get(ProcessRegistry).activities(),
  );
  log.log(
    `Temporal worker on ${config.TEMPORAL_ADDRESS}, namespace ${config.TEMPORAL_NAMESPACE}, task queue ${config.TEMPORAL_TASK_QUEUE}`,
  );
  try {
    await worker.run();
  } finally {
    await connection.close();
    await app.close();
  }
}

main().catch((e: unknown) => {
  const known = describeStartupFailure(e);
  process.stderr.write(`${known ?? `worker failed: ${(e as Error).stack ?? String(e)}`}\n`);
  process.exit(known ? 78 : 1);
});
