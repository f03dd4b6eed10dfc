import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { APP_CONFIG, type AppConfig } from '../../config/config';

/** Pretty lines for a developer at a terminal (or when asked with LOG_FORMAT=pretty); JSON otherwise. */
export function wantsPrettyLogs(config: Pick<AppConfig, 'LOG_FORMAT' | 'NODE_ENV'>, stdoutIsTty: boolean): boolean {
  if (config.LOG_FORMAT !== 'auto') return config.LOG_FORMAT === 'pretty';
  return config.NODE_ENV === 'development' && stdoutIsTty;
}

/**
 * Structured JSON logs (pino) with a request id taken from X-Request-Id or generated. In pretty
 * mode the same records go through pino-pretty, synchronously, one short line per request.
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
            const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
            res.setHeader('X-Request-Id', id);
            return id;
          },
          redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
          autoLogging: { ignore: (req) => req.url === '/health' },
        };
        const tty = process.stdout.isTTY === true;
        if (!wantsPrettyLogs(config, tty)) return { pinoHttp: options };
        // Loaded only in pretty mode, so production never requires it.
        const { PinoPretty } = await import('pino-pretty');
        const stream = PinoPretty({
          sync: true,
          colorize: tty,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,context,req,res,responseTime',
          messageFormat: '{if context}[{context}] {end}{msg}',
          singleLine: true,
        });
        return {
          pinoHttp: [
            {
              ...options,
              customSuccessMessage: (req, res, ms) =>
                `${req.method} ${req.url} ${res.statusCode} ${Math.round(ms)} ms (${String(req.id)})`,
              customErrorMessage: (req, res, err) =>
                `${req.method} ${req.url} ${res.statusCode} ${err.message} (${String(req.id)})`,
            },
            stream,
          ],
        };
      },
    }),
  ],
})
export class LoggingModule {}
