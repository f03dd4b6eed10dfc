import type { Channel, OutboxStatus } from '../../src/delivery/outbox-message.entity';
import type { PostalAddress } from '../../src/delivery/recipient-router';
import type { createDeliveryActivities } from './index';

/**
 * Types of the one delivery path (activities/delivery). Released process versions import
 * `DeliveryActivities` from this file, so it stays here.
 */

/** A party of a case, as far as the process knows them; the path looks up what is missing. */
export interface Party {
  personalCode?: string | null;
  email?: string | null;
  /** Needed for a letter; else taken from the population register. */
  name?: string | null;
  /** The party's account language (messages go out in the municipality's official language). */
  lang?: string | null;
  /** Where a letter goes; else the declared residence from the registers. */
  postalAddress?: string | null;
}

/** Message text as i18n keys, rendered by the path in the language of the chosen channel. */
export interface MessageText {
  subjectKey: string;
  bodyKey: string;
  vars?: Record<string, string | number>;
}

export interface NotifyPartyRequest {
  caseId: string;
  municipalityId: string;
  /** Unique within the case per party and notice (e.g. `owner-notice:<code>`): a repeat sends nothing new. */
  key: string;
  party: Party;
  message: MessageText;
  purpose?: 'notice' | 'decision';
}

export interface DeliverDocumentsRequest extends NotifyPartyRequest {
  /** Sealed issued documents of the case, attached (or enclosed with the letter). */
  documentIds: string[];
}

/** Where the message went; null when the party has no e-address, e-mail or known postal address. */
export interface PartyReached {
  channel: Channel;
  messageId: string;
  status: OutboxStatus;
}

/** The channel a process asked for in `sendDelivery`; the recipient router decides. */
export type RequestedChannel = 'e-adrese' | 'email' | 'sms' | 'portal';

/** `sendDelivery` input (reference@v1): the same path, the party taken from the case. */
export interface DeliveryRequest {
  caseId: string;
  municipalityId: string;
  /** Unique per case and step (e.g. `<caseId>:decision-notice`): sending twice delivers once. */
  idempotencyKey: string;
  channel: RequestedChannel;
  /** A personal code, else the case's applicant is the recipient. */
  recipientRef: string;
  /** Text under `delivery:notices.<template>` (slashes become dots). */
  template: string;
  vars?: Record<string, string | number | boolean | null>;
  documentIds?: string[];
}

export interface DeliveryReceipt {
  deliveryId: string;
  status: 'queued' | 'sent' | 'unreachable';
}

export type { PostalAddress };

export type DeliveryActivities = ReturnType<typeof createDeliveryActivities>;
