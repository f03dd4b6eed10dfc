import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type { EAddressEnvelope, EAddressPort, EAddressStatus, EAddressValidation } from './e-address.port';
import type { DivSendMessageRequest } from './div-soap.types';

export interface DivAdapterConfig {
  endpoint: string;
  /** PKCS#12 client certificate issued for the DIV gateway, and its password. */
  certP12Path: string;
  certPassword: string;
}

/** `_PRIVATE@<personal code>`: the e-address of a natural person. */
export const privateEAddress = (personalCode: string): string => `_PRIVATE@${personalCode.replace('-', '')}`;

/** Maps the port's envelope to the SendMessage request body (pure; what the real call would send). */
export function toSendMessageRequest(env: EAddressEnvelope): DivSendMessageRequest {
  return {
    Envelope: {
      Sender: { E_Address: env.senderEAddress },
      Recipients: env.recipients.map((r) => ({ RecipientEntry: { E_Address: r.includes('@') ? r : privateEAddress(r) } })),
      SenderDocument: {
        Title: env.title,
        DocumentDate: env.date,
        DocumentKind: { DocumentKindCode: env.documentKind },
        Authors: env.authors.map((a) => ({ AuthorEntry: { Institution: { Title: a } } })),
        Description: env.content,
        SenderReferenceNumber: env.senderReference,
        NotifySenderOnDelivery: env.notifyOnDelivery,
        Files: env.files.map((f) => ({
          FileName: f.name,
          MimeType: f.mimeType,
          Size: f.size,
          DigestValue: Buffer.from(f.sha256, 'hex').toString('base64'),
          DigestMethod: 'http://www.w3.org/2001/04/xmlenc#sha256',
          Content: f.content.toString('base64'),
        })),
      },
    },
  };
}

/**
 * The real DIV gateway adapter: SKELETON ONLY. The SOAP 1.2 + WS-Addressing transport with the
 * client certificate is not written: the gateway and its official schema are not reachable here.
 * Every call fails with `misconfigured` so nothing pretends to have been sent.
 */
export class DivEAddressAdapter implements EAddressPort {
  constructor(private readonly config: DivAdapterConfig) {}

  private notAvailable(op: string): DomainError {
    return new DomainError(ErrorCode.Misconfigured, `e-adrese DIV adapter: ${op} is not implemented (gateway ${this.config.endpoint}); use EADRESE_MODE=simulator`);
  }

  send(envelope: EAddressEnvelope): Promise<{ messageId: string }> {
    toSendMessageRequest(envelope);
    return Promise.reject(this.notAvailable('SendMessage'));
  }
  status(_messageId: string): Promise<EAddressStatus> {
    return Promise.reject(this.notAvailable('GetNotificationList'));
  }
  validateEAddress(_personalCode: string): Promise<EAddressValidation> {
    return Promise.reject(this.notAvailable('ValidateEAddress'));
  }
}
