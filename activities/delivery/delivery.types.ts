/**
 * The delivery activity interface processes call. The outbox (activities/delivery, real
 * channels with retries, dead letters and receipts) implements it; timeline-delivery.ts is the
 * simple in-repo implementation for tests and development.
 */
export type DeliveryChannel = 'e-adrese' | 'email' | 'sms' | 'portal';

export interface DeliveryRequest {
  caseId: string;
  municipalityId: string;
  /** Unique per case and step (e.g. `<caseId>:decision-notice`): sending twice delivers once. */
  idempotencyKey: string;
  /** Preferred channel; the outbox may override it (an activated e-address takes precedence). */
  channel: DeliveryChannel;
  /** Person id or external reference of the recipient. */
  recipientRef: string;
  /** Message template key and its variables; rendering happens in the activity, not the run. */
  template: string;
  vars?: Record<string, string | number | boolean | null>;
  /** Documents to attach, by document id. */
  documentIds?: string[];
}

export interface DeliveryReceipt {
  deliveryId: string;
  status: 'queued' | 'sent';
}

export type DeliveryActivities = {
  sendDelivery(req: DeliveryRequest): Promise<DeliveryReceipt>;
};
