import {
  STATUS_CHANGES,
  type PropertyTaxStatusMessage,
  type PropertyTaxStatusPort,
  type StatusChange,
} from '../../integrations/property-tax/property-tax-status.port';
import { DomainError } from '../../platform/errors/domain-error';
import type { ChannelResult, DeliveryChannel, OutboundEnvelope } from './channel.port';

/**
 * Sends an award's status change (an outbox message of channel `property_tax_status`, its body
 * the message) to the property-tax department with the outbox idempotency key.
 */
export class PropertyTaxStatusChannel implements DeliveryChannel {
  readonly channel = 'property_tax_status' as const;

  constructor(private readonly port: PropertyTaxStatusPort) {}

  async send(env: OutboundEnvelope): Promise<ChannelResult> {
    const message = parseMessage(env.body);
    const r = await this.port.send(message, env.idempotencyKey);
    return {
      providerMessageId: r.receiptId,
      receipt: {
        gateway: 'property-tax',
        receiptId: r.receiptId,
        duplicate: r.duplicate,
        idempotencyKey: env.idempotencyKey,
        change: message.change,
      },
    };
  }
}

/** The body the publisher wrote; anything else is refused for good (dead letter). */
function parseMessage(body: string): PropertyTaxStatusMessage {
  let m: Partial<PropertyTaxStatusMessage> | null;
  try {
    m = JSON.parse(body) as Partial<PropertyTaxStatusMessage>;
  } catch {
    m = null;
  }
  if (
    !m ||
    typeof m.awardId !== 'string' ||
    !STATUS_CHANGES.includes(m.change as StatusChange) ||
    !Array.isArray(m.personalCodes) ||
    typeof m.validFrom !== 'string' ||
    typeof m.validUntil !== 'string'
  )
    throw DomainError.validation([
      { field: 'body', message: 'delivery:errors.statusReportInvalid' },
    ]);
  return m as PropertyTaxStatusMessage;
}
