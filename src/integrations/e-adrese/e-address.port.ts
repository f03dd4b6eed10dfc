/**
 * The official e-address (e-adrese) port: the DIV gateway of the State Digital Development Agency
 * (SOAP 1.2, MTOM, WS-Addressing, WS-Security X.509; see docs/integrations.md). Oficiālās elektroniskās adreses likums
 * art. 12(1): a person with an activated e-address is written to there only.
 */
export interface EAddressFile {
  name: string;
  mimeType: string;
  size: number;
  /** Hex SHA-256 of the content, for the case file's receipt (the DIV envelope carries a SHA-512 the adapter computes). */
  sha256: string;
  /** The bytes, read anew on each call (from the document store, in chunks): files are streamed, not held whole. */
  open(): AsyncIterable<Buffer>;
}

export interface EAddressEnvelope {
  title: string;
  /** ISO date-time of the document. */
  date: string;
  documentKind: string;
  authors: string[];
  content: string;
  files: EAddressFile[];
  senderEAddress: string;
  /** Sender's reference number: Civitas puts the outbox idempotency key here. */
  senderReference: string;
  /** Recipients' e-addresses (for natural persons: `_PRIVATE@<personal code>`) or personal codes. */
  recipients: string[];
  notifyOnDelivery: boolean;
}

export type EAddressDeliveryState = 'accepted' | 'delivered' | 'read' | 'failed' | 'unknown';

export interface EAddressStatus {
  messageId: string;
  state: EAddressDeliveryState;
  at: string | null;
}

export interface EAddressValidation {
  personalCode: string;
  active: boolean;
  eAddress: string | null;
}

export interface EAddressPort {
  /** SendMessage → MessageId. */
  send(envelope: EAddressEnvelope): Promise<{ messageId: string }>;
  /** From GetNotificationList. */
  status(messageId: string): Promise<EAddressStatus>;
  /** ValidateEAddress: does this person have an activated e-address? */
  validateEAddress(personalCode: string): Promise<EAddressValidation>;
}
export const EADDRESS_PORT = Symbol('EADDRESS_PORT');
