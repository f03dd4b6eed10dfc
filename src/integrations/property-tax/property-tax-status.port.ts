/**
 * Needy / low-income status passed to the municipality's property-tax department (SPSPL 1. pants;
 * likums "Par nekustamā īpašuma nodokli" 5. panta 1.¹ daļa: a municipality may grant relief to
 * needy and low-income persons). The department's system has no national interface: the payload
 * below is ours (docs/social-assistance.md "Status transfer"), its endpoint and token are settings.
 */

/** What happened to the status: granted by a decision, stopped early, or its period ended. */
export const STATUS_CHANGES = ['granted', 'stopped', 'ended'] as const;
export type StatusChange = (typeof STATUS_CHANGES)[number];

/** One status change of one award, as sent to the property-tax department. */
export interface PropertyTaxStatusMessage {
  municipality: { code: string; registrationNumber: string };
  /** The award's id: the department keys its record by it (later changes of the award replace it). */
  awardId: string;
  change: StatusChange;
  status: 'needy' | 'low-income';
  /** The household members the status applies to (personal codes, the holder first). */
  personalCodes: string[];
  validFrom: string;
  /** The last day the status holds (a stop: the day before `stoppedOn`). */
  validUntil: string;
  occurredAt: string;
}

export interface PropertyTaxReceipt {
  receiptId: string;
  /** The department had this idempotency key already and answered with the first receipt. */
  duplicate: boolean;
}

/**
 * The port to the property-tax department. `idempotencyKey` is the same for every retry of one
 * message. Throw a retryable DomainError for transient trouble and a non-retryable one when the
 * department refuses the message.
 */
export interface PropertyTaxStatusPort {
  send(message: PropertyTaxStatusMessage, idempotencyKey: string): Promise<PropertyTaxReceipt>;
}
export const PROPERTY_TAX_STATUS_PORT = Symbol('PROPERTY_TAX_STATUS_PORT');
