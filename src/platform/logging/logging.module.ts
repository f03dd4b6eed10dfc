import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Module } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import pino from 'pino';
import type { Options } from 'pino-http';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import {
  REDACT_PATHS,
  maskingSink,
  safeRequest,
  safeResponse,
  safeUrl,
  type LogSink,
} from './redact';

/** Pretty lines for a developer at a terminal (or when asked with LOG_FORMAT=pretty); JSON otherwise. */
export function wantsPrettyLogs(
  config: Pick<AppConfig, 'LOG_FORMAT' | 'NODE_ENV'>,
  stdoutIsTty: boolean,
): boolean {
  if (config.LOG_FORMAT !== 'auto') return config.LOG_FORMAT === 'pretty';
  return config.NODE_ENV === 'development' && stdoutIsTty;
}

/** process.stdout when something replaced its write (a test reading the log lines), else null. */
function replacedStdout(): LogSink | null {
  const out = process.stdout;
  return out.write !== (out.constructor as { prototype: { write: unknown } }).prototype.write
    ? out
    : null;
}

/** What pino itself would write to: fd 1 through SonicBoom (flushed at exit), or the replaced stdout. */
function stdoutSink(): LogSink {
  return (
    replacedStdout() ??
    pino.destination({ dest: process.stdout.fd || 1, minLength: 0, sync: false })
  );
}

/**
 * Structured JSON logs (pino) with a request id taken from X-Request-Id or generated. In pretty
 * mode the same records go through pino-pretty, synchronously, one short line per request.
 * Secrets and personal codes are redacted (issue 12 L3, ./redact.ts).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<Params> => {
        const options: Options = {
          level: config.LOG_LEVEL,
          genReqId: (req, res) => {
            const incoming = req.headers['x-request-id'];
            const id =
              typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming)
                ? incoming
                : randomUUID();
            res.setHeader('X-Request-Id', id);
            return id;
          },
          redact: REDACT_PATHS,
          serializers: { req: safeRequest, res: safeResponse },
          autoLogging: { ignore: (req) => req.url === '/health' },
        };
        const tty = process.stdout.isTTY === true;
        if (!wantsPrettyLogs(config, tty))
          return { pinoHttp: [options, maskingSink(stdoutSink())] };
        // Loaded only in pretty mode, so production never requires it.
        const { PinoPretty } = await import('pino-pretty');
        const captured = replacedStdout();
        const stream = PinoPretty({
          sync: true,
          colorize: tty,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,context,req,res,responseTime',
          messageFormat: '{if context}[{context}] {end}{msg}',
          singleLine: true,
          ...(captured
            ? {
                destination: new Writable({
                  write: (chunk: Buffer, _enc, done) => (captured.write(chunk.toString()), done()),
                }),
              }
            : {}),
        });
        return {
          pinoHttp: [
            {
              ...options,
              customSuccessMessage: (req, res, ms) =>
                `${req.method} ${safeUrl(req.url)} ${res.statusCode} ${Math.round(ms)} ms (${String(req.id)})`,
              customErrorMessage: (req, res, err) =>
                `${req.method} ${safeUrl(req.url)} ${res.statusCode} ${err.message} (${String(req.id)})`,
            },
            maskingSink(stream),
          ],
        };
      },
    }),
  ],
})
export class LoggingModule {}
