import { join, resolve } from 'node:path';
import { z } from 'zod';
import { PsppStandIn } from './stand-in.server';
import { createPsppTestTls } from './test-tls';

/**
 * The services platform (PSPP) stand-in as its own process (`npm run pspp:stand-in`). Its settings
 * are its own (this is not the app). Prints one JSON line when ready: the endpoint, the control
 * URL, the token and the test CA to trust.
 */
const settings = z
  .object({
    PSPP_STANDIN_PORT: z.coerce.number().int().min(0).max(65535).default(8453),
    PSPP_STANDIN_CONTROL_PORT: z.coerce.number().int().min(0).max(65535).default(8454),
    PSPP_STANDIN_DATA_DIR: z.string().default('var/pspp-stand-in'),
    PSPP_STANDIN_PATH: z.string().startsWith('/').default('/api/v1/service-status'),
    PSPP_STANDIN_TOKEN: z.string().default('test-only-pspp-token'),
    PSPP_STANDIN_IDEMPOTENCY_HEADER: z.string().default('Idempotency-Key'),
    /** false = plain HTTP (no test CA needed). */
    PSPP_STANDIN_TLS: z.enum(['true', 'false']).default('true'),
  })
  .parse(process.env);

async function main(): Promise<void> {
  const dataDir = resolve(settings.PSPP_STANDIN_DATA_DIR);
  const tls = settings.PSPP_STANDIN_TLS === 'true' ? createPsppTestTls(join(dataDir, 'tls')) : null;
  const standIn = new PsppStandIn({
    port: settings.PSPP_STANDIN_PORT,
    controlPort: settings.PSPP_STANDIN_CONTROL_PORT,
    path: settings.PSPP_STANDIN_PATH,
    token: settings.PSPP_STANDIN_TOKEN,
    idempotencyHeader: settings.PSPP_STANDIN_IDEMPOTENCY_HEADER,
    tls: tls ? { cert: tls.cert, key: tls.key } : undefined,
    dataDir: join(dataDir, 'store'),
  });
  const { endpoint, control } = await standIn.start();
  process.stdout.write(
    `${JSON.stringify({ ready: true, endpoint, control, token: settings.PSPP_STANDIN_TOKEN, ca: tls?.ca ?? null })}\n`,
  );
  const stop = (): void => {
    void standIn.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`pspp stand-in failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
