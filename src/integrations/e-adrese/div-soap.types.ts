/**
 * Request/response shapes of the DIV e-address gateway as far as they are publicly known: taken from
 * a public third-party integration (the official WSDL/XSD was not available when this was written).
 * Names follow the gateway's operations; verify against the official schema before going live.
 */

/** WS-Addressing headers every call carries (SOAP 1.2). */
export interface WsAddressingHeaders {
  Action: string;
  To: string;
  MessageID: string;
  ReplyTo?: string;
}

export interface DivAttachment {
  FileName: string;
  MimeType: string;
  Size: number;
  /** Base64 SHA-256 digest of the content. */
  DigestValue: string;
  DigestMethod: 'http://www.w3.org/2001/04/xmlenc#sha256';
  /** MTOM/XOP part id or inline base64 content. */
  Content: string;
}

export interface DivSenderDocument {
  Title: string;
  DocumentDate: string;
  DocumentKind: { DocumentKindCode: string; DocumentKindName?: string };
  Authors: { AuthorEntry: { Institution: { Title: string } } }[];
  Description?: string;
  SenderReferenceNumber: string;
  NotifySenderOnDelivery: boolean;
  Files: DivAttachment[];
}

export interface DivSendMessageRequest {
  Envelope: {
    Sender: { E_Address: string };
    Recipients: { RecipientEntry: { E_Address: string } }[];
    SenderDocument: DivSenderDocument;
  };
}

export interface DivSendMessageResponse {
  MessageId: string;
}

export interface DivGetNotificationListRequest {
  MaxResultCount: number;
}

export interface DivNotification {
  MessageId: string;
  NotificationType: 'Delivered' | 'Read' | 'Error' | string;
  Date: string;
  Description?: string;
}

export interface DivGetNotificationListResponse {
  Notifications: DivNotification[];
  HasMoreData: boolean;
}

export interface DivValidateEAddressRequest {
  /** `_PRIVATE@<personal code>` for natural persons. */
  E_Address: string;
}

export interface DivValidateEAddressResponse {
  IsValid: boolean;
  IsActive?: boolean;
}
