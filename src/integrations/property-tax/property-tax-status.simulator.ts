import { randomUUID } from 'node:crypto';
import { FailureInjection } from '../../delivery/channels/failure-injection';
import type {
  PropertyTaxReceipt,
  PropertyTaxStatusMessage,
  PropertyTaxStatusPort,
} from './property-tax-status.port';

/**
 * In-repo stand-in for the property-tax department (development default and tests;
 * PROPERTY_TAX_MODE=simulator, production refuses it): keeps one message per idempotency key, as
 * the department should, counts calls, and fails on request (a lost acknowledgement included).
 */
export class PropertyTaxStatusSimulator implements PropertyTaxStatusPort {
  readonly faults = new FailureInjection();
  readonly messages = new Map<string, { receiptId: string; message: PropertyTaxStatusMessage }>();
  calls = 0;

  async send(message: PropertyTaxStatusMessage, key: string): Promise<PropertyTaxReceipt> {
    this.calls += 1;
    const { loseAck } = await this.faults.before('property-tax department');
    const seen = this.messages.get(key);
    const receiptId = seen?.receiptId ?? randomUUID();
    if (!seen) this.messages.set(key, { receiptId, message });
    if (loseAck) throw FailureInjection.lostAck('property-tax department');
    return { receiptId, duplicate: !!seen };
  }

  /** What the department holds for an award, in the order received. */
  of(awardId: string): PropertyTaxStatusMessage[] {
    return [...this.messages.values()].map((m) => m.message).filter((m) => m.awardId === awardId);
  }
}
