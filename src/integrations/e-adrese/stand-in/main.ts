import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DivStandIn } from './stand-in.server';
import { StandInWeb } from './stand-in.web';
import { createDivTestPki } from './test-pki';

/**
 * The DIV stand-in as its own process (`npm run div:stand-in`). Its settings are its own (this is
 * not the app); without a PKI directory it makes a throw-away test PKI in the data directory.
 * Prints one JSON line when ready: the endpoint, the web page, and the certificate paths.
 */
const settings = z
  .object({
    DIV_STANDIN_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
    DIV_STANDIN_WEB_PORT: z.coerce.number().int().min(0).max(65535).default(8444),
    DIV_STANDIN_DATA_DIR: z.string().default('var/div-stand-in'),
    /** A directory made by createDivTestPki (tests make their own); default: <data dir>/pki. */
    DIV_STANDIN_PKI_DIR: z.string().optional(),
    DIV_STANDIN_PROCESS_DELAY_MS: z.coerce.number().int().min(0).default(0),
    DIV_STANDIN_DELIVER_DELAY_MS: z.coerce.number().int().min(0).default(0),
    DIV_STANDIN_SECTION_BYTES: z.coerce.number().int().min(1024).default(4_194_304),
    /** Comma-separated personal codes without an activated e-address. */
    DIV_STANDIN_INACTIVE: z.string().default(''),
    /** Comma-separated personal codes whose messages end DeliveryDelayed (never taken). */
    DIV_STANDIN_UNDELIVERABLE: z.string().default(''),
    /** Comma-separated SHA-256 fingerprints of registered connection certificates; empty = any the test CA issued. */
    DIV_STANDIN_REGISTERED: z.string().default(''),
    DIV_STANDIN_MTOM_RESPONSES: z.enum(['true', 'false']).default('true'),
    /** A repeated sender reference: answer with the first MessageId, or register a new message. */
    DIV_STANDIN_REPEATED_SENDER_REF: z.enum(['first', 'new']).default('first'),
  })
  .parse(process.env);

async function main(): Promise<void> {
  const dataDir = resolve(settings.DIV_STANDIN_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const pkiDir = resolve(settings.DIV_STANDIN_PKI_DIR ?? join(dataDir, 'pki'));
  if (!existsSync(join(pkiDir, 'div-test-ca.crt'))) createDivTestPki(pkiDir);
  const list = (s: string): string[] =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const standIn = new DivStandIn({
    port: settings.DIV_STANDIN_PORT,
    tls: {
      cert: join(pkiDir, 'server.crt'),
      key: join(pkiDir, 'server.key'),
      ca: join(pkiDir, 'div-test-ca.crt'),
    },
    dataDir: join(dataDir, 'store'),
    registered: list(settings.DIV_STANDIN_REGISTERED),
    mtomResponses: settings.DIV_STANDIN_MTOM_RESPONSES === 'true',
    behaviour: {
      sectionBytes: settings.DIV_STANDIN_SECTION_BYTES,
      processDelayMs: settings.DIV_STANDIN_PROCESS_DELAY_MS,
      deliverDelayMs: settings.DIV_STANDIN_DELIVER_DELAY_MS,
      inactive: new Set(list(settings.DIV_STANDIN_INACTIVE).map((c) => c.replace('-', ''))),
      undeliverable: new Set(
        list(settings.DIV_STANDIN_UNDELIVERABLE).map((c) => c.replace('-', '')),
      ),
      repeatedSenderRef: settings.DIV_STANDIN_REPEATED_SENDER_REF,
    },
  });
  const web = new StandInWeb(standIn);
  const endpoint = await standIn.start();
  const webUrl = await web.start(settings.DIV_STANDIN_WEB_PORT);
  process.stdout.write(
    `${JSON.stringify({ ready: true, endpoint, web: webUrl, ca: join(pkiDir, 'div-test-ca.crt'), clientP12: join(pkiDir, 'municipality-connection.p12'), p12Password: 'test-only-p12-password' })}\n`,
  );
  const stop = (): void => {
    void Promise.all([standIn.stop(), web.stop()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`div stand-in failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
