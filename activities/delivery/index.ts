import type { DeliverySender, SendOutcome } from '../../src/delivery/delivery-sender';
import type { ChosenRoute, RecipientContacts, RecipientRouter } from '../../src/delivery/recipient-router';

export interface DeliveryPorts {
  sender: DeliverySender;
  router: RecipientRouter;
}

/** A reference to an outbox row; the municipality is needed because every read runs under its RLS tenant. */
export interface DeliveryRef {
  municipalityId: string;
  messageId: string;
}

/**
 * Delivery activities. `sendDelivery` makes one attempt and reports the outcome; on
 * `retry_scheduled` the process sleeps until `nextAttemptAt` and calls it again, so the backoff is
 * durable. Calling it again after success does nothing (the row is already `sent`).
 */
export function createDeliveryActivities(ports: DeliveryPorts) {
  return {
    async sendDelivery(ref: DeliveryRef): Promise<SendOutcome> {
      return ports.sender.send(ref.municipalityId, ref.messageId);
    },
    /** Where an official document must go: the activated e-address if there is one (asks the gateway). */
    async chooseDeliveryChannel(contacts: RecipientContacts): Promise<ChosenRoute> {
      return ports.router.choose(contacts);
    },
    /** e-adrese: records `delivered` once the gateway reports it; otherwise reports the message unchanged. */
    async checkDelivery(ref: DeliveryRef): Promise<SendOutcome> {
      return ports.sender.refreshStatus(ref.municipalityId, ref.messageId);
    },
  };
}

export type DeliveryActivities = ReturnType<typeof createDeliveryActivities>;
