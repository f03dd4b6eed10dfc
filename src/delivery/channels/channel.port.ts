import type { Readable } from 'node:stream';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type { Channel } from '../outbox-message.entity';

export interface DeliveryFile {
  documentId: string;
  fileName: string;
  mimeType: string;
  size: number;
  /** Hex SHA-256, as stored with the document. */
  sha256: string;
  /** The bytes from the document store, read in chunks on each call (a file is not held whole). */
  open(): Readable;
  /** An issued document's registration number (a letter lists its enclosures by it). */
  registrationNumber?: string;
}

/** Everything a channel needs to send one outbox message. */
export interface OutboundEnvelope {
  outboxId: string;
  /** Passed to the provider so a repeated send is recognised there too. */
  idempotencyKey: string;
  municipality: { id: string; name: string; eAddress: string };
  caseId: string | null;
  recipient: string;
  subject: string;
  body: string;
  lang: string;
  files: DeliveryFile[];
}

export interface ChannelResult {
  providerMessageId: string;
  /** Stored on the outbox row and shown in the case file. */
  receipt: Record<string, unknown>;
  /** Post: the letter is ready to print; it counts as sent only when staff mark it posted. */
  awaitsPosting?: boolean;
}

/**
 * Thrown by a channel that cannot take a message yet because it waits for another one (a case's
 * earlier status report): the message is tried again later, and the wait is not a failed attempt.
 */
export class DeliveryDeferred extends DomainError {
  constructor(message: string) {
    super(ErrorCode.ExternalUnavailable, message);
    this.name = 'DeliveryDeferred';
  }
}

/**
 * A way to reach a person. Throw a retryable DomainError (ExternalUnavailable / ExternalTimeout) or
 * any plain error for transient trouble; a non-retryable DomainError (e.g. ValidationFailed for a
 * wrong address) dead-letters the message at once; DeliveryDeferred when it must wait for another.
 */
export interface DeliveryChannel {
  readonly channel: Channel;
  /**
   * How long one send may take before the attempt gives up with a retryable timeout: a provider
   * that does not answer. Unset: DELIVERY_SEND_TIMEOUT_MS. `null`: the outbox sets no limit,
   * because the channel does its work here and that work has limits of its own; cutting it short
   * would only record as failed a result that is still on its way (post: the letter is issued
   * anyway, bounded by PDF_RENDER_TIMEOUT_MS and the connection pool's wait).
   */
  readonly sendTimeoutMs?: number | null;
  send(envelope: OutboundEnvelope): Promise<ChannelResult>;
  /** Channels that report delivery (e-adrese) say whether a sent message has reached the recipient. */
  status?(
    providerMessageId: string,
  ): Promise<{ delivered: boolean; at: string | null; state: string }>;
}
export const DELIVERY_CHANNELS = Symbol('DELIVERY_CHANNELS');

/** Resolves attachment document ids to files (the documents module implements it). */
export interface DocumentSource {
  load(municipalityId: string, documentId: string): Promise<DeliveryFile>;
}
export const DOCUMENT_SOURCE = Symbol('DOCUMENT_SOURCE');
