import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type {
  ServiceStatusPort,
  ServiceStatusReceipt,
  ServiceStatusReport,
} from './service-status.port';

export interface PsppHttpConfig {
  /** Where reports are POSTed (JSON), e.g. https://pspp.example.gov.lv/api/v1/service-status. */
  endpoint: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** PKCS#12 for mutual TLS, when the platform asks for a client certificate. */
  clientP12?: Buffer;
  clientPassword?: string;
  /** PEM of the CA of the platform's TLS certificate; unset = the system's trust store. */
  serverCa?: Buffer;
  timeoutMs: number;
  /** The header that carries the idempotency key (unconfirmed: `Idempotency-Key`). */
  idempotencyHeader: string;
}

export const psppConfigFrom = (c: {
  PSPP_ENDPOINT?: string;
  PSPP_TOKEN?: string;
  PSPP_CLIENT_P12?: string;
  PSPP_CLIENT_PASSWORD?: string;
  PSPP_SERVER_CA?: string;
  PSPP_TIMEOUT_MS: number;
  PSPP_IDEMPOTENCY_HEADER: string;
}): PsppHttpConfig => ({
  endpoint: c.PSPP_ENDPOINT!,
  token: c.PSPP_TOKEN,
  clientP12: c.PSPP_CLIENT_P12 ? readFileSync(c.PSPP_CLIENT_P12) : undefined,
  clientPassword: c.PSPP_CLIENT_PASSWORD,
  serverCa: c.PSPP_SERVER_CA ? readFileSync(c.PSPP_SERVER_CA) : undefined,
  timeoutMs: c.PSPP_TIMEOUT_MS,
  idempotencyHeader: c.PSPP_IDEMPOTENCY_HEADER,
});

/**
 * Reports a status as JSON over HTTP(S) with the idempotency key in a header, so a retry after a
 * timeout or a lost reply is recognised by the platform. 2xx = accepted (200 with `duplicate` for a
 * key seen before); 408, 429 and 5xx, timeouts and broken connections are retryable; any other
 * answer is a refusal that retrying would not change.
 */
export class PsppHttpAdapter implements ServiceStatusPort {
  constructor(private readonly config: PsppHttpConfig) {}

  async report(r: ServiceStatusReport, idempotencyKey: string): Promise<ServiceStatusReceipt> {
    const { status, body } = await this.post(JSON.stringify(r), idempotencyKey);
    if (status >= 200 && status < 300) {
      const answer = parse(body);
      const receiptId = typeof answer.id === 'string' ? answer.id : '';
      if (!receiptId)
        throw new DomainError(
          ErrorCode.ExternalUnavailable,
          `PSPP answered ${status} without an id`,
        );
      return { receiptId, duplicate: answer.duplicate === true };
    }
    const detail = `PSPP answered ${status}: ${body.slice(0, 300)}`;
    if (status === 408 || status === 429 || status >= 500)
      throw new DomainError(ErrorCode.ExternalUnavailable, detail);
    throw new DomainError(ErrorCode.ValidationFailed, detail);
  }

  private post(payload: string, key: string): Promise<{ status: number; body: string }> {
    const url = new URL(this.config.endpoint);
    const https = url.protocol === 'https:';
    const options: RequestOptions = {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        Accept: 'application/json',
        'Content-Length': Buffer.byteLength(payload),
        [this.config.idempotencyHeader]: key,
        ...(this.config.token ? { Authorization: `Bearer ${this.config.token}` } : {}),
      },
      ...(https
        ? {
            ca: this.config.serverCa,
            pfx: this.config.clientP12,
            passphrase: this.config.clientPassword,
          }
        : {}),
    };
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(url, options, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (e) => reject(unavailable(e)));
      });
      req.setTimeout(this.config.timeoutMs, () =>
        req.destroy(
          new DomainError(
            ErrorCode.ExternalTimeout,
            `PSPP did not answer within ${this.config.timeoutMs} ms`,
          ),
        ),
      );
      req.on('error', (e) => reject(e instanceof DomainError ? e : unavailable(e)));
      req.end(payload);
    });
  }
}

const unavailable = (e: Error): DomainError =>
  new DomainError(ErrorCode.ExternalUnavailable, `PSPP unreachable: ${e.message}`);

function parse(body: string): Record<string, unknown> {
  try {
    const v = JSON.parse(body) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
