import { createHash } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type {
  EAddressEnvelope,
  EAddressPort,
  EAddressStatus,
  EAddressValidation,
} from './e-address.port';
import { loadDivCredentials } from './div/div-credentials';
import { sha512Base64, signedEnvelope, signSection, type DivFileRef } from './div/div-envelope';
import {
  binaryOf,
  DivFault,
  DivSoapClient,
  type DivCredentials,
  type DivResponse,
  type MtomPart,
} from './div/div-soap.client';
import {
  NS,
  build,
  child,
  childText,
  children,
  newDocument,
  parseXml,
  serialize,
  type Spec,
} from './div/div-xml';
import {
  NotificationBook,
  type DivNotification,
  type NotificationSink,
} from './div/div-notifications';
import { MemorySendJournal, type SendJournal } from './div/div-send-journal';
import { digestOf, readAll, sections } from './div/div-streams';

const { uui, arr, div, xop } = NS;

export interface DivAdapterConfig {
  endpoint: string;
  /** PKCS#12 client certificate issued for the DIV connection, and its password. */
  certP12Path: string;
  certPassword: string;
  /** PEM of the CA of the gateway's TLS certificate (the stand-in's test CA); unset = system store. */
  serverCaPath?: string;
  timeoutMs?: number;
  /** Unconfirmed: whether DIV takes inline base64 without MTOM (INTERFACE.md §13.5). */
  mtom?: boolean;
  /** Unconfirmed: "4 MB" as 4194304 or 4000000 bytes (§13.4). */
  sectionBytes?: number;
  wssAlgorithm?: 'sha1' | 'sha256';
  /** Unconfirmed: a natural person's e-address, `{code}` = personal code (§13.2). */
  personAddress?: string;
  /** DocumentKindCode registered in DIV for the municipality's notices. */
  documentKind?: string;
  /** Where notifications are kept before they are confirmed to DIV (the app: PostgreSQL; alone: memory). */
  notificationSink?: NotificationSink;
  /** Where each send's attempts are journalled (the app: PostgreSQL; alone: memory). */
  sendJournal?: SendJournal;
  /**
   * How long a send whose reply never came stays "in doubt" (no notification names it yet) before
   * it is sent again. DIV cannot be asked by sender reference; keep this well above DIV's processing time.
   */
  resendAfterMs?: number;
  now?: () => Date;
  trace?: (operation: string, request: string, response: string) => void;
}

const PERSONAL_CODE = /^\d{6}-?\d{5}$/;
const SAFE_REF = /^[A-Za-z0-9._:\-/]{1,50}$/;

/**
 * The sender reference (SenderRefNumber, ≤ 50 characters): the outbox idempotency key itself when
 * it fits, else a digest of it. The same key always gives the same reference.
 */
export function senderRefNumber(idempotencyKey: string): string {
  return SAFE_REF.test(idempotencyKey)
    ? idempotencyKey
    : `civ-${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 40)}`;
}

/** A message in the municipality's e-address mailbox (GetMessage + sections), digests checked. */
export interface DivIncomingMessage {
  messageId: string;
  senderEAddress: string;
  senderRefNumber: string;
  title: string;
  /** The envelope's Description: the message text. */
  text: string;
  /** Registration numbers of the documents it answers (DocumentReferences), e.g. our sender reference. */
  references: string[];
  recipients: string[];
  confirmationName: string;
  envelopeXml: string;
  files: { contentId: string; name: string; mimeType: string; size: number; content: Buffer }[];
}

export interface DivAddressee {
  eAddress: string;
  ownerCode: string | null;
  title: string | null;
  typeCode: string | null;
  active: boolean;
}

/**
 * The e-address port over the VDAA DIV `UnifiedService` (SOAP 1.2, MTOM, WS-Addressing 1.0,
 * WS-Security X.509). Sends signed envelopes (large files in sections), follows notifications,
 * reads and confirms incoming messages, and looks up addressees. Only the endpoint and the
 * certificates differ between the in-repo stand-in and the state gateway.
 */
export class DivEAddressAdapter implements EAddressPort {
  private soapClient: DivSoapClient | null = null;
  private creds: DivCredentials | null = null;
  readonly notifications: NotificationBook;
  readonly journal: SendJournal;
  private readonly sectionBytes: number;
  private readonly now: () => Date;

  constructor(private readonly config: DivAdapterConfig) {
    this.sectionBytes = config.sectionBytes ?? 4_194_304;
    this.journal = config.sendJournal ?? new MemorySendJournal();
    this.now = config.now ?? (() => new Date());
    this.notifications = new NotificationBook(
      config.notificationSink,
      (max) => this.fetchNotificationPage(max),
      (ids) => this.confirmNotifications(ids),
    );
  }

  /** The certificate is read on first use, so a start-up without the file fails the first call clearly. */
  private client(): DivSoapClient {
    if (!this.soapClient) {
      this.creds = loadDivCredentials(
        this.config.certP12Path,
        this.config.certPassword,
        this.config.serverCaPath,
      );
      this.soapClient = new DivSoapClient(
        {
          endpoint: this.config.endpoint,
          timeoutMs: this.config.timeoutMs ?? 60_000,
          mtom: this.config.mtom ?? true,
          wssAlgorithm: this.config.wssAlgorithm ?? 'sha1',
          trace: this.config.trace,
        },
        this.creds,
      );
    }
    return this.soapClient;
  }

  private credentials(): DivCredentials {
    this.client();
    return this.creds!;
  }

  /** A recipient as an e-address: personal codes become the configured natural-person address. */
  recipientAddress(recipient: string): string {
    if (recipient.includes('@')) return recipient;
    if (!PERSONAL_CODE.test(recipient))
      throw DomainError.validation([
        { field: 'recipient', message: 'delivery:errors.personalCodeInvalid' },
      ]);
    return (this.config.personAddress ?? '_PRIVATE@{code}').replace(
      '{code}',
      recipient.replace('-', ''),
    );
  }

  async send(envelope: EAddressEnvelope): Promise<{ messageId: string }> {
    const ref = senderRefNumber(envelope.senderReference);
    // A first pass over each file computes its digest (streamed); the bytes are read again to send.
    const files: OutgoingFile[] = [];
    for (const [i, f] of envelope.files.entries())
      files.push({
        contentId: String(i),
        name: f.name,
        mimeType: f.mimeType,
        ...(await digestOf(f.open())),
        open: () => f.open(),
      });
    const creds = this.credentials();
    const signed = signedEnvelope(
      {
        title: envelope.title,
        date: envelope.date.slice(0, 10),
        documentKind: this.config.documentKind ?? 'DOC_EMPTY',
        author: {
          title: envelope.authors[0] ?? envelope.senderEAddress,
          registrationNumber: /^_DEFAULT@(\d{11})$/.exec(envelope.senderEAddress)?.[1],
        },
        description: envelope.content,
        files,
        senderEAddress: envelope.senderEAddress,
        senderRefNumber: ref,
        recipients: envelope.recipients.map((r) => this.recipientAddress(r)),
        notifyOnDelivery: envelope.notifyOnDelivery,
      },
      creds.keyPem,
      creds.certPem,
    );
    const sender = envelope.senderEAddress;
    const earlier = await this.journal.begin(sender, ref, this.now());
    if (earlier.messageId) return { messageId: earlier.messageId };
    if (earlier.inDoubtSince) {
      const known = await this.resolveDoubt(sender, ref, earlier.inDoubtSince);
      if (known) return known;
    }
    try {
      const total = files.reduce((n, f) => n + f.size, 0);
      const sent =
        total <= this.sectionBytes
          ? await this.sendSmall(signed, files)
          : await this.sendLarge(signed, ref, sender, files);
      await this.journal.sent(sender, ref, sent.messageId);
      return sent;
    } catch (err) {
      // A fault is DIV's answer: nothing was registered, the next attempt may send at once.
      if (err instanceof DivFault) await this.journal.refused(sender, ref);
      throw err;
    }
  }

  /**
   * An earlier attempt got no reply (timeout, reset, the app stopped mid-call): DIV may hold the
   * message. DIV cannot be asked by sender reference, but its notifications about a registered
   * message carry the reference (`MessageClientId`); until one names it, or `resendAfterMs` has
   * passed, nothing is sent (a retryable error: the outbox comes back later).
   */
  private async resolveDoubt(
    sender: string,
    ref: string,
    since: Date,
  ): Promise<{ messageId: string } | null> {
    const known = await this.registeredEarlier(sender, ref);
    if (known) return known;
    const resendAt = since.getTime() + (this.config.resendAfterMs ?? 600_000);
    if (this.now().getTime() < resendAt)
      throw new DomainError(
        ErrorCode.ExternalUnavailable,
        `e-adrese DIV: an earlier attempt to send ${ref} got no reply; nothing is sent again until DIV notifies about it or ${new Date(resendAt).toISOString()}`,
      );
    await this.journal.restart(sender, ref, this.now());
    return null;
  }

  /** The MessageId DIV gave this sender reference, from its notifications (pending ones fetched and recorded first). */
  private async registeredEarlier(
    sender: string,
    ref: string,
  ): Promise<{ messageId: string } | null> {
    await this.notifications.drain();
    const named = (await this.notifications.sink.forSenderRef(sender, ref)).find(
      (n) => n.messageId,
    );
    if (!named) return null;
    await this.journal.sent(sender, ref, named.messageId);
    return { messageId: named.messageId };
  }

  /** SendMessage: all files together within the inline limit. */
  private async sendSmall(signed: string, files: OutgoingFile[]): Promise<{ messageId: string }> {
    const doc = newDocument([uui, 'SendMessageInput', []]);
    const body = doc.documentElement!;
    body.appendChild(doc.importNode(parseEnvelope(signed), true));
    body.appendChild(
      build(doc, attachmentsInput(files.map((f) => ({ contentId: f.contentId, inline: true })))),
    );
    // Within the inline limit: one request of at most one section's size, read in for it.
    const parts: MtomPart[] = [];
    for (const f of files) parts.push(await part(f));
    const res = await this.client().call('SendMessage', body, parts);
    return { messageId: requireText(res.output, 'MessageId') };
  }

  /**
   * InitSendMessage (files within the inline limit go inline, the rest empty) → SendAttachmentSection
   * per section of each large file (exactly `sectionBytes` except the last; a 0-length closing section
   * when the size divides evenly) → CompleteSendMessage with the signed envelope.
   */
  private async sendLarge(
    signed: string,
    ref: string,
    sender: string,
    files: OutgoingFile[],
  ): Promise<{ messageId: string }> {
    let budget = this.sectionBytes;
    const inline = new Set<string>();
    for (const f of [...files].sort((a, b) => a.size - b.size)) {
      if (f.size > budget) continue;
      budget -= f.size;
      inline.add(f.contentId);
    }
    const init = newDocument([
      uui,
      'InitSendMessageInput',
      [
        [uui, 'MessageClientId', [ref]],
        [uui, 'SenderEAddress', [sender]],
        attachmentsInput(
          files.map((f) => ({ contentId: f.contentId, inline: inline.has(f.contentId) })),
        ),
      ],
    ]).documentElement!;
    let messageId: string;
    try {
      messageId = await this.uploadDraft(init, files, inline);
    } catch (err) {
      // DIV registers a message only at CompleteSendMessage: a draft left behind sends nothing.
      await this.journal.refused(sender, ref);
      throw err;
    }
    const complete = newDocument([
      uui,
      'CompleteSendMessageInput',
      [[uui, 'MessageId', [messageId]]],
    ]);
    complete.documentElement!.appendChild(complete.importNode(parseEnvelope(signed), true));
    await this.client().call('CompleteSendMessage', complete.documentElement!);
    return { messageId };
  }

  /** InitSendMessage, then every section of each file not sent inline; returns the draft's MessageId. */
  private async uploadDraft(
    init: Element,
    files: OutgoingFile[],
    inline: Set<string>,
  ): Promise<string> {
    const inlineParts: MtomPart[] = [];
    for (const f of files) if (inline.has(f.contentId)) inlineParts.push(await part(f));
    const started = await this.client().call('InitSendMessage', init, inlineParts);
    const messageId = requireText(started.output, 'MessageId');
    for (const f of files.filter((x) => !inline.has(x.contentId))) {
      // One section in memory at a time, cut from the file's stream.
      let i = -1;
      for await (const bytes of sections(f.open(), this.sectionBytes)) {
        i++;
        const cid = `${f.contentId}.${i}`;
        const section = newDocument([
          uui,
          'SendAttachmentSectionInput',
          [
            [uui, 'MessageId', [messageId]],
            [uui, 'ContentId', [f.contentId]],
            [uui, 'SectionIndex', [i]],
            [uui, 'Contents', bytes.length ? [[xop, 'Include', [], { href: `cid:${cid}` }]] : []],
          ],
        ]).documentElement!;
        await this.client().call(
          'SendAttachmentSection',
          section,
          bytes.length
            ? [{ contentId: cid, mimeType: 'application/octet-stream', name: f.name, body: bytes }]
            : [],
        );
      }
    }
    return messageId;
  }

  /** The delivery state from the notifications DIV has sent about the message (fetched and confirmed first). */
  async status(messageId: string): Promise<EAddressStatus> {
    await this.notifications.drain();
    return this.notifications.stateOf(messageId);
  }

  /** Fetches, records and confirms all pending notifications; returns the new ones. */
  pollNotifications(): Promise<DivNotification[]> {
    return this.notifications.drain();
  }

  private async fetchNotificationPage(
    max: number,
  ): Promise<{ notifications: DivNotification[]; hasMore: boolean }> {
    const res = await this.client().call(
      'GetNotificationList',
      newDocument([uui, 'GetNotificationListInput', [[uui, 'MaxResultCount', [max]]]])
        .documentElement!,
    );
    const list = child(res.output, uui, 'Notifications');
    const notifications = (list ? children(list, uui, 'Notification') : []).map(
      (n): DivNotification => ({
        id: requireText(n, 'Id'),
        type: requireText(n, 'Type') as DivNotification['type'],
        createdOn: requireText(n, 'CreatedOn'),
        messageId: childText(n, uui, 'MessageId') ?? '',
        messageClientId: childText(n, uui, 'MessageClientId') || null,
        messageStatus: childText(n, uui, 'MessageStatus') || null,
        statusCode: childText(n, uui, 'StatusCode') || null,
        statusText: childText(n, uui, 'StatusText') || null,
        sender: childText(n, uui, 'Sender') || null,
        recipients: arrStrings(child(n, uui, 'Recipients')),
      }),
    );
    return { notifications, hasMore: childText(res.output, uui, 'HasMoreData') === 'true' };
  }

  private async confirmNotifications(ids: string[]): Promise<void> {
    await this.client().call(
      'ConfirmNotificationList',
      newDocument([
        uui,
        'ConfirmNotificationListInput',
        [[uui, 'NotificationIds', ids.map((id): Spec => [arr, 'long', [id]])]],
      ]).documentElement!,
    );
  }

  /**
   * GetMessageServerConfirmation: DIV's signed, timestamped proof that it registered a message we
   * sent (ServerSection). Returns null while DIV is still processing (a `Sender` fault such as
   * `BL.PSS.044`); the XML is kept as the sending proof.
   */
  async serverConfirmation(messageId: string): Promise<{
    receivedAt: string;
    serverRefNumber: string;
    deliveryDeadline: string;
    xml: string;
  } | null> {
    const res = await this.client().call(
      'GetMessageServerConfirmation',
      newDocument([uui, 'GetMessageServerConfirmationInput', [[uui, 'MessageId', [messageId]]]])
        .documentElement!,
    );
    const part = child(res.output, div, 'ServerConfirmationPart');
    const meta = part && child(part, div, 'ServerTransportMetadata');
    if (!part || !meta) return null;
    return {
      receivedAt: childText(meta, div, 'ServerReceivedTime') ?? '',
      serverRefNumber: childText(meta, div, 'ServerRefNumber') ?? '',
      deliveryDeadline: childText(meta, div, 'DeliveryDeadline') ?? '',
      xml: serialize(part),
    };
  }

  async validateEAddress(personalCode: string): Promise<EAddressValidation> {
    if (!PERSONAL_CODE.test(personalCode))
      throw DomainError.validation([
        { field: 'personalCode', message: 'delivery:errors.personalCodeInvalid' },
      ]);
    const address = this.recipientAddress(personalCode);
    const res = await this.client().call(
      'ValidateEAddress',
      newDocument([
        uui,
        'ValidateEAddressInput',
        [
          [uui, 'EAddresses', [[arr, 'string', [address]]]],
          [uui, 'Type', ['NaturalPerson']],
        ],
      ]).documentElement!,
    );
    const results = child(res.output, uui, 'Results');
    const r = results
      ? children(results, uui, 'EAddressValidationResult').find(
          (x) => childText(x, uui, 'EAddress') === address,
        )
      : undefined;
    const active = r ? childText(r, uui, 'IsValid') === 'true' : false;
    return { personalCode, active, eAddress: active ? address : null };
  }

  /** SearchAddresseeUnit by e-address or owner code (registration number / personal code). */
  async lookupAddressee(query: { eAddress?: string; ownerCode?: string }): Promise<DivAddressee[]> {
    if (!query.eAddress && !query.ownerCode)
      throw DomainError.validation([{ field: 'eAddress', message: 'validation:required' }]);
    const res = await this.client().call(
      'SearchAddresseeUnit',
      newDocument([
        uui,
        'SearchAddresseeUnitInput',
        [
          query.ownerCode ? [uui, 'AddresseeOwnerCode', [query.ownerCode]] : null,
          query.eAddress ? [uui, 'EAddress', [query.eAddress]] : null,
        ],
      ]).documentElement!,
    );
    const units = child(res.output, uui, 'AddresseeUnits');
    return (units ? children(units, uui, 'AddresseeUnit') : []).map((u) => {
      const owner = child(u, uui, 'Owner');
      return {
        eAddress: requireText(u, 'EAddress'),
        ownerCode: childText(u, uui, 'AddresseeOwnerCode') || null,
        title:
          (owner &&
            (childText(owner, uui, 'Title') ||
              [childText(owner, uui, 'FirstName'), childText(owner, uui, 'Surname')]
                .filter(Boolean)
                .join(' '))) ||
          null,
        typeCode: childText(u, uui, 'TypeCode') || null,
        active: !childText(u, uui, 'BlockedFrom') && !childText(u, uui, 'SuspendedFrom'),
      };
    });
  }

  /** GetMessageList: incoming messages not yet confirmed. */
  async listIncoming(max = 20): Promise<{
    messages: { messageId: string; senderEAddress: string; sentOn: string; isDelivered: boolean }[];
    hasMore: boolean;
  }> {
    const res = await this.client().call(
      'GetMessageList',
      newDocument([uui, 'GetMessageListInput', [[uui, 'MaxResultCount', [max]]]]).documentElement!,
    );
    const list = child(res.output, uui, 'MessageHeaders');
    return {
      messages: (list ? children(list, uui, 'MessageHeader') : []).map((h) => ({
        messageId: requireText(h, 'MessageId'),
        senderEAddress: requireText(h, 'SenderEAddress'),
        sentOn: requireText(h, 'SentOn'),
        isDelivered: childText(h, uui, 'IsDelivered') === 'true',
      })),
      hasMore: childText(res.output, uui, 'HasMoreData') === 'true',
    };
  }

  /** GetMessage (+ GetAttachmentSection for separate files); every file's SHA-512 is checked against the envelope. */
  async getIncoming(messageId: string): Promise<DivIncomingMessage> {
    const res = await this.client().call(
      'GetMessage',
      newDocument([uui, 'GetMessageInput', [[uui, 'MessageId', [messageId]]]]).documentElement!,
    );
    const env = child(res.output, div, 'Envelope');
    if (!env)
      throw new DomainError(
        ErrorCode.ExternalUnavailable,
        'e-adrese DIV: GetMessage returned no Envelope',
      );
    const sender = child(env, div, 'SenderDocument')!;
    const transport = child(sender, div, 'SenderTransportMetadata')!;
    const general = child(child(sender, div, 'DocumentMetadata')!, div, 'GeneralMetadata')!;
    const payload = child(child(sender, div, 'DocumentMetadata')!, div, 'PayloadReference');
    const outputs = new Map(
      children(
        child(res.output, uui, 'AttachmentsOutput') ?? res.output,
        uui,
        'AttachmentOutput',
      ).map((a) => [requireText(a, 'ContentId'), a]),
    );
    const files = [];
    for (const f of payload ? children(payload, div, 'File') : []) {
      const content = child(f, div, 'Content')!;
      const contentId = childText(content, div, 'ContentReference') ?? '';
      const out = outputs.get(contentId);
      const bytes = out
        ? await this.attachmentBytes(messageId, contentId, out, res)
        : Buffer.alloc(0);
      if (sha512Base64(bytes) !== childText(content, div, 'DigestValue'))
        throw new DomainError(
          ErrorCode.ExternalUnavailable,
          `e-adrese DIV: file ${contentId} of message ${messageId} does not match its SHA-512 digest`,
        );
      files.push({
        contentId,
        name: childText(f, div, 'Name') ?? contentId,
        mimeType: childText(f, div, 'MimeType') ?? 'application/octet-stream',
        size: bytes.length,
        content: bytes,
      });
    }
    return {
      messageId,
      senderEAddress: childText(transport, div, 'SenderE-Address') ?? '',
      senderRefNumber: childText(transport, div, 'SenderRefNumber') ?? '',
      title: childText(general, div, 'Title') ?? '',
      text: childText(general, div, 'Description') ?? '',
      references: references(child(sender, div, 'DocumentMetadata')!),
      recipients: arrStrings(child(res.output, uui, 'Recipients')),
      confirmationName: childText(res.output, uui, 'ConfirmationName') ?? '',
      envelopeXml: serialize(env),
      files,
    };
  }

  private async attachmentBytes(
    messageId: string,
    contentId: string,
    out: Element,
    res: DivResponse,
  ): Promise<Buffer> {
    if (childText(out, uui, 'IsSeparateCall') !== 'true')
      return binaryOf(child(out, uui, 'Contents'), res);
    const count = Number(childText(out, uui, 'SectionCount') ?? '0');
    const sections: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const s = await this.client().call(
        'GetAttachmentSection',
        newDocument([
          uui,
          'GetAttachmentSectionInput',
          [
            [uui, 'MessageId', [messageId]],
            [uui, 'ContentId', [contentId]],
            [uui, 'SectionIndex', [i]],
          ],
        ]).documentElement!,
      );
      sections.push(binaryOf(child(s.output, uui, 'Contents'), s));
    }
    return Buffer.concat(sections);
  }

  /** ConfirmMessage: the recipient's signed acceptance (or rejection with a reason). */
  async confirmIncoming(
    message: Pick<DivIncomingMessage, 'messageId' | 'confirmationName' | 'recipients'>,
    accept: boolean,
    reason?: { code?: string; text?: string },
  ): Promise<void> {
    const entryId = `${message.confirmationName}RecipientSection`;
    const doc = newDocument([
      div,
      'RecipientConfirmationPart',
      [
        [
          div,
          'RecipientConfirmations',
          [
            [
              div,
              'ConfirmationEntry',
              [
                [
                  div,
                  'RelatedRecipients',
                  message.recipients.map((r): Spec => [div, 'E-Address', [r]]),
                ],
                [div, 'Status', [accept ? 'RecipientAccepted' : 'RecipientRejected']],
                reason?.code ? [div, 'StatusCode', [reason.code.slice(0, 50)]] : null,
                reason?.text ? [div, 'StatusReason', [reason.text.slice(0, 250)]] : null,
              ],
              { Id: entryId },
            ],
          ],
        ],
        [div, 'Signatures', []],
      ],
    ]);
    const creds = this.credentials();
    const signed = signSection(
      doc,
      entryId,
      `${message.confirmationName}RecipientSignature`,
      creds.keyPem,
      creds.certPem,
      child(doc.documentElement!, div, 'Signatures')!,
    );
    const body = newDocument([uui, 'ConfirmMessageInput', []]);
    body.documentElement!.appendChild(body.importNode(parseEnvelope(signed), true));
    body.documentElement!.appendChild(build(body, [uui, 'MessageId', [message.messageId]]));
    await this.client().call('ConfirmMessage', body.documentElement!);
  }
}

/** The signed XML as a DOM element, to be imported into the SOAP body (exclusive C14N keeps the signature valid there). */
const parseEnvelope = (xml: string): Element => parseXml(xml).documentElement!;

function attachmentsInput(files: { contentId: string; inline: boolean }[]): Spec {
  return [
    uui,
    'AttachmentsInput',
    files.map((f): Spec => [
      uui,
      'AttachmentInput',
      [
        [uui, 'ContentId', [f.contentId]],
        [uui, 'Contents', f.inline ? [[xop, 'Include', [], { href: `cid:${f.contentId}` }]] : []],
      ],
    ]),
  ];
}

/** A file to send: described in the envelope (digest computed streaming), its bytes read on demand. */
type OutgoingFile = DivFileRef & { open: () => AsyncIterable<Buffer> };

const part = async (f: OutgoingFile): Promise<MtomPart> => ({
  contentId: f.contentId,
  mimeType: f.mimeType,
  name: f.name,
  body: await readAll(f.open(), f.size),
});

function requireText(el: Element, name: string): string {
  const v = childText(el, uui, name);
  if (v === null || v === '')
    throw new DomainError(
      ErrorCode.ExternalUnavailable,
      `e-adrese DIV: ${el.localName} has no ${name}`,
    );
  return v;
}

function references(metadata: Element): string[] {
  const refs = child(child(metadata, div, 'CommonMetadata') ?? metadata, div, 'DocumentReferences');
  return refs
    ? children(refs, div, 'ReferenceEntry').map(
        (r) => childText(r, div, 'RefRegistrationNumber') ?? '',
      )
    : [];
}

function arrStrings(el: Element | null): string[] {
  return el ? children(el, arr, 'string').map((s) => s.textContent ?? '') : [];
}
