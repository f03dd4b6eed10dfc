import cluster from 'node:cluster';
import { createApp } from './app';
import { ConfigError, demoModeWarning, loadConfig } from './config/config';
import { describeStartupFailure } from './startup-error';
import { superviseWebProcesses } from './web-processes';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const demo = demoModeWarning(config);
  if (demo && cluster.isPrimary) process.stderr.write(`${demo}\n`);
  if (config.WEB_PROCESSES > 1 && cluster.isPrimary)
    return superviseWebProcesses(config.WEB_PROCESSES, config.ENGINE_EXECUTOR_ID);
  const app = await createApp(config);
  await app.listen(config.PORT, '0.0.0.0');
}

main().catch((e: unknown) => {
  const known = describeStartupFailure(e);
  process.stderr.write(`${known ?? `Civitas did not start: ${(e as Error).stack ?? String(e)}`}\n`);
  process.exit(known ? 78 : 1); // EX_CONFIG for what the operator can fix
});
