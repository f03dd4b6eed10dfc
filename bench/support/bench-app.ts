import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/config';
import { createTestDatabase } from '../../test/support/test-db';

/**
 * Runs a benchmark on its own migrated database (dropped afterwards) through the shipped assembly
 * (AppModule, every port bound as in production, on the app role's pool with RLS on); no HTTP
 * listener, no outbox poller, no log output.
 */
export async function withBenchApp(
  database: string,
  bench: (app: INestApplicationContext) => Promise<void>,
): Promise<void> {
  const db = await createTestDatabase(database);
  try {
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: db.appUrl,
      DATABASE_OWNER_URL: db.ownerUrl,
      DELIVERY_POLL_MS: '0',
      LOG_LEVEL: 'silent',
    });
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
      logger: false,
      abortOnError: false,
    });
    await app.init();
    await bench(app);
    await app.close();
  } finally {
    await db.drop();
  }
}

/** Calls `fn` on every item with `concurrency` callers at a time. */
export async function pool<T>(
  items: T[],
  concurrency: number,
  fn: (t: T) => Promise<unknown>,
): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}
