import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config/config';

export interface RunningApp {
  app: NestExpressApplication;
  url: string;
  config: AppConfig;
  close(): Promise<void>;
}

/** The real application on a free port, against the test run's database. */
export async function startApp(overrides: Record<string, string> = {}): Promise<RunningApp> {
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    ...overrides,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const addr = app.getHttpServer().address() as { port: number };
  return { app, config, url: `http://127.0.0.1:${addr.port}`, close: () => app.close() };
}
