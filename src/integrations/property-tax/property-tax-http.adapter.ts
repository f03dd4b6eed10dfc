import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type {
  PropertyTaxReceipt,
  PropertyTaxStatusMessage,
  PropertyTaxStatusPort,
} from './property-tax-status.port';

export interface PropertyTaxHttpConfig {
  /** Where messages are POSTed as JSON. */
  endpoint: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  timeoutMs: number;
}

/**
 * Sends a status message as JSON over HTTP(S) with the idempotency key in `Idempotency-Key`: 2xx
 * = accepted (its JSON `id`, if any, is the receipt; `duplicate: true` for a key seen before); 408,
 * 429, 5xx, timeouts and broken connections are retryable; any other answer is a refusal.
 */
export class PropertyTaxHttpAdapter implements PropertyTaxStatusPort {
  constructor(private readonly config: PropertyTaxHttpConfig) {}

  async send(message: PropertyTaxStatusMessage, key: string): Promise<PropertyTaxReceipt> {
    let res: Response;
    try {
      res = await fetch(this.config.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          accept: 'application/json',
          'idempotency-key': key,
          ...(this.config.token ? { authorization: `Bearer ${this.config.token}` } : {}),
        },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (e) {
      const timeout = e instanceof Error && e.name === 'TimeoutError';
      throw new DomainError(
        timeout ? ErrorCode.ExternalTimeout : ErrorCode.ExternalUnavailable,
        `property-tax department: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const text = await res.text().catch(() => '');
    if (res.ok) {
      let body: { id?: unknown; duplicate?: unknown } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        body = {};
      }
      return {
        receiptId: typeof body.id === 'string' ? body.id : key,
        duplicate: body.duplicate === true,
      };
    }
    const detail = `property-tax department answered ${res.status}: ${text.slice(0, 300)}`;
    if (res.status === 408 || res.status === 429 || res.status >= 500)
      throw new DomainError(ErrorCode.ExternalUnavailable, detail);
    throw new DomainError(ErrorCode.ValidationFailed, detail);
  }
}
