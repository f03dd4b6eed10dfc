import { randomUUID } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import {
  SHA512,
  sha512Base64,
  signedEnvelope,
  signSection,
  verifySenderSignature,
} from '../div/div-envelope';
import {
  NS,
  child,
  childText,
  children,
  newDocument,
  parseXml,
  serialize,
  text,
  type Spec,
  type XNode,
} from '../div/div-xml';
import { StandInFault } from './stand-in.security';
import type { StandInStore, StoredFile, StoredMessage } from './stand-in.store';

const { uui, div, arr } = NS;
/** Section progress markers in StoredMessage.sections: a file sent inline, a file whose last section arrived. */
const INLINE = -2;
const COMPLETE = -1;

/** What the stand-in does after accepting a message; every knob is a setting of the process. */
export interface StandInBehaviour {
  sectionBytes: number;
  processDelayMs: number;
  deliverDelayMs: number;
  /** Personal codes without an activated e-address: ValidateEAddress says no, a message to them is rejected. */
  inactive: Set<string>;
  /** Personal codes whose account never takes delivery: the message ends `DeliveryDelayed` (no longer retrievable). */
  undeliverable: Set<string>;
  /** Each notification is queued this many times with the same id (duplicate-notification tests). */
  notificationCopies: number;
  /**
   * A message whose sender reference was used before: answer with the first `MessageId` ('first'),
   * or register it as a new message ('new'). Whether DIV refuses a repeated SenderRefNumber is not
   * documented (INTERFACE.md), so the adapter must not rely on either.
   */
  repeatedSenderRef: 'first' | 'new';
}

/** A binary element's bytes after the server resolved MTOM (`xop:Include` → inline base64). */
const bytesOf = (el: Element | null): Buffer => Buffer.from(text(el) ?? '', 'base64');

const codeOf = (address: string): string | null => /^_PRIVATE@(\d{11})$/.exec(address)?.[1] ?? null;

export class StandInOperations {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: StandInStore,
    readonly behaviour: StandInBehaviour,
    private readonly signer: { keyPem: string; certPem: string },
  ) {}

  /** Runs an operation: `input` is its `…Input` element; returns the children of `…Output`. */
  run(operation: string, input: Element): XNode[] {
    switch (operation) {
      case 'SendMessage':
        return this.sendMessage(input);
      case 'InitSendMessage':
        return this.initSendMessage(input);
      case 'SendAttachmentSection':
        return this.sendAttachmentSection(input);
      case 'CompleteSendMessage':
        return this.completeSendMessage(input);
      case 'GetNotificationList':
        return this.getNotificationList(input);
      case 'ConfirmNotificationList':
        this.store.confirm(
          children(child(input, uui, 'NotificationIds')!, arr, 'long').map((l) =>
            Number(l.textContent),
          ),
        );
        return [];
      case 'GetMessageList':
        return this.getMessageList(input);
      case 'GetMessage':
        return this.getMessage(input);
      case 'GetAttachmentSection':
        return this.getAttachmentSection(input);
      case 'ConfirmMessage':
        return this.confirmMessage(input);
      case 'GetMessageServerConfirmation':
        return this.serverConfirmation(input);
      case 'ValidateEAddress':
        return this.validateEAddress(input);
      case 'SearchAddresseeUnit':
        return this.searchAddresseeUnit(input);
      default:
        throw new StandInFault(
          'Sender',
          'BL.KOP.001',
          `operation ${operation} is not offered by the stand-in`,
        );
    }
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
  }

  /** Reads and checks the sender's envelope: schema was checked already; here signature, files and addresses. */
  private readEnvelope(
    env: Element,
    files: Map<string, Buffer> | null,
  ): Omit<
    StoredMessage,
    | 'messageId'
    | 'state'
    | 'receivedAt'
    | 'sections'
    | 'confirmationName'
    | 'confirmed'
    | 'sendCalls'
  > {
    const sig = verifySenderSignature(env);
    if (!sig.valid)
      throw new StandInFault(
        'Sender',
        'BL.PSS.001',
        `SenderDocument section signed incorrectly${sig.error ? `: ${sig.error}` : ''}`,
      );
    const sender = child(env, div, 'SenderDocument')!;
    const meta = child(sender, div, 'DocumentMetadata')!;
    const transport = child(sender, div, 'SenderTransportMetadata')!;
    const recipients = children(child(transport, div, 'Recipients')!, div, 'RecipientEntry').map(
      (r) => childText(r, div, 'RecipientE-Address') ?? '',
    );
    const stored: StoredFile[] = [];
    const payload = child(meta, div, 'PayloadReference');
    for (const f of payload ? children(payload, div, 'File') : []) {
      const content = child(f, div, 'Content')!;
      const contentId = childText(content, div, 'ContentReference') ?? '';
      if (child(content, div, 'DigestMethod')?.getAttribute('Algorithm') !== SHA512)
        throw new StandInFault(
          'Sender',
          'BL.PSS.022',
          `file ${contentId}: digest algorithm must be SHA-512`,
        );
      const file: StoredFile = {
        contentId,
        name: childText(f, div, 'Name') ?? '',
        mimeType: childText(f, div, 'MimeType') ?? '',
        size: Number(childText(f, div, 'Size')),
        sha512: childText(content, div, 'DigestValue') ?? '',
      };
      if (stored.some((s) => s.name === file.name))
        throw new StandInFault('Sender', 'BL.PSS.017', `file name ${file.name} repeats`);
      const bytes = files?.get(contentId);
      if (files && !bytes)
        throw new StandInFault('Sender', 'BL.PSS.042', `no attachment with ContentId ${contentId}`);
      if (bytes && (bytes.length !== file.size || sha512Base64(bytes) !== file.sha512))
        throw new StandInFault(
          'Sender',
          'BL.PSS.001',
          `file ${contentId}: size or SHA-512 digest does not match the envelope`,
        );
      if (file.size === 0)
        throw new StandInFault('Sender', 'BL.PSS.019', `file ${contentId} is empty`);
      stored.push(file);
    }
    if (files && files.size !== stored.length)
      throw new StandInFault(
        'Sender',
        'BL.PSS.046',
        'the attachments do not match the files of the envelope',
      );
    return {
      sender: childText(transport, div, 'SenderE-Address') ?? '',
      senderRef: childText(transport, div, 'SenderRefNumber') ?? '',
      recipients,
      title: childText(child(meta, div, 'GeneralMetadata')!, div, 'Title') ?? '',
      description: childText(child(meta, div, 'GeneralMetadata')!, div, 'Description') ?? '',
      files: stored,
      envelopeXml: serialize(env),
    };
  }

  private attachments(input: Element): Map<string, Buffer> {
    const list = child(input, uui, 'AttachmentsInput');
    return new Map(
      (list ? children(list, uui, 'AttachmentInput') : []).map((a) => [
        childText(a, uui, 'ContentId') ?? '',
        bytesOf(child(a, uui, 'Contents')),
      ]),
    );
  }

  private sendMessage(input: Element): Spec[] {
    const files = this.attachments(input);
    const total = [...files.values()].reduce((n, b) => n + b.length, 0);
    if (total > this.behaviour.sectionBytes)
      throw new StandInFault(
        'Sender',
        'BL.PSS.053',
        `attachments of ${total} bytes exceed the ${this.behaviour.sectionBytes}-byte inline limit; use InitSendMessage`,
      );
    const read = this.readEnvelope(child(input, div, 'Envelope')!, files);
    const existing =
      this.behaviour.repeatedSenderRef === 'first'
        ? this.store.bySenderRef(read.sender, read.senderRef)
        : undefined;
    if (existing) {
      // The same sender reference again (a retry after a lost reply): the first message stands, nothing is delivered twice.
      this.store.save({ ...existing, sendCalls: existing.sendCalls + 1 });
      return [[uui, 'MessageId', [existing.messageId]]];
    }
    const m = this.newMessage(read);
    for (const [cid, bytes] of files) this.store.putSection(m.messageId, cid, 0, bytes);
    this.register(m);
    return [[uui, 'MessageId', [m.messageId]]];
  }

  private newMessage(
    read: ReturnType<StandInOperations['readEnvelope']>,
    state: StoredMessage['state'] = 'registered',
  ): StoredMessage {
    return {
      ...read,
      messageId: randomUUID(),
      state,
      receivedAt: new Date().toISOString(),
      sections: {},
      confirmationName: `CONN${randomUUID().replace(/-/g, '').slice(0, 8)}`,
      confirmed: null,
      sendCalls: 1,
    };
  }

  private initSendMessage(input: Element): Spec[] {
    const sender = childText(input, uui, 'SenderEAddress') ?? '';
    const ref = childText(input, uui, 'MessageClientId') ?? '';
    const existing =
      this.behaviour.repeatedSenderRef === 'first'
        ? this.store.bySenderRef(sender, ref)
        : undefined;
    if (existing) return [[uui, 'MessageId', [existing.messageId]]];
    const files = this.attachments(input);
    const inline = [...files.values()].reduce((n, b) => n + b.length, 0);
    if (inline > this.behaviour.sectionBytes)
      throw new StandInFault('Sender', 'BL.PSS.053', 'inline files exceed the limit');
    const m = this.newMessage(
      {
        sender,
        senderRef: ref,
        recipients: [],
        title: '',
        description: '',
        files: [],
        envelopeXml: '',
      },
      'draft',
    );
    for (const [cid, bytes] of files) {
      m.sections[cid] = bytes.length ? INLINE : 0;
      if (bytes.length) this.store.putSection(m.messageId, cid, 0, bytes);
    }
    this.store.save(m);
    return [[uui, 'MessageId', [m.messageId]]];
  }

  private draft(input: Element): StoredMessage {
    const m = this.store.get(childText(input, uui, 'MessageId') ?? '');
    if (!m) throw new StandInFault('Sender', 'BL.PSS.044', 'no such message');
    return m;
  }

  private sendAttachmentSection(input: Element): Spec[] {
    const m = this.draft(input);
    if (m.state !== 'draft') return []; // a repeated section after completion changes nothing
    const cid = childText(input, uui, 'ContentId') ?? '';
    const index = Number(childText(input, uui, 'SectionIndex'));
    const bytes = bytesOf(child(input, uui, 'Contents'));
    if (!(cid in m.sections) || m.sections[cid] === INLINE)
      throw new StandInFault('Sender', 'BL.PSS.046', `file ${cid} was not announced for sections`);
    if (index === 0 && bytes.length === 0)
      throw new StandInFault('Sender', 'BL.PSS.052', 'section 0 may not be empty');
    if (bytes.length > this.behaviour.sectionBytes)
      throw new StandInFault('Sender', 'BL.PSS.053', 'a section exceeds the section size');
    // A sender that lost a reply sends the file again from section 0: a complete file takes it again.
    if (m.sections[cid] !== COMPLETE && index > m.sections[cid])
      throw new StandInFault(
        'Sender',
        'BL.PSS.051',
        `section ${index} of file ${cid} arrived before section ${m.sections[cid]}`,
      );
    this.store.putSection(m.messageId, cid, index, bytes);
    // A section shorter than the section size ends the file.
    if (m.sections[cid] !== COMPLETE)
      m.sections[cid] =
        bytes.length < this.behaviour.sectionBytes
          ? COMPLETE
          : Math.max(m.sections[cid], index + 1);
    this.store.save(m);
    return [];
  }

  private completeSendMessage(input: Element): Spec[] {
    const m = this.draft(input);
    if (m.state === 'registered') return [];
    if (Object.values(m.sections).some((s) => s !== COMPLETE && s !== INLINE))
      throw new StandInFault('Sender', 'BL.PSS.046', 'not every file is complete');
    const files = new Map(
      Object.keys(m.sections).map((cid) => [cid, this.store.readFile(m.messageId, cid)]),
    );
    const read = this.readEnvelope(child(input, div, 'Envelope')!, files);
    if (read.senderRef !== m.senderRef)
      throw new StandInFault(
        'Sender',
        'BL.PSS.050',
        'SenderRefNumber differs from MessageClientId',
      );
    const done: StoredMessage = { ...m, ...read, state: 'registered' };
    this.register(done);
    return [];
  }

  /** Accepts a registered message: MessageProcessed, then the recipient's MessageDelivered (or a rejection), after the configured delays. */
  private register(m: StoredMessage): void {
    this.store.save(m);
    const inactive = m.recipients.filter((r) => {
      const code = codeOf(r);
      return code !== null && this.behaviour.inactive.has(code);
    });
    const base = {
      messageId: m.messageId,
      messageClientId: m.senderRef,
      sender: m.sender,
      recipients: m.recipients,
    };
    const rejected = inactive.length === m.recipients.length;
    this.later(this.behaviour.processDelayMs, () => {
      this.store.enqueue(
        {
          ...base,
          type: 'MessageProcessed',
          messageStatus: rejected ? 'Rejected' : 'Accepted',
          statusCode: rejected ? 'BL.PSS.024' : '',
          statusText: rejected ? 'no recipient can be delivered to' : '',
        },
        this.behaviour.notificationCopies,
      );
      if (rejected) return;
      const undeliverable = m.recipients.some((r) =>
        this.behaviour.undeliverable.has(codeOf(r) ?? ''),
      );
      this.later(this.behaviour.deliverDelayMs, () =>
        this.store.enqueue(
          {
            ...base,
            type: 'MessageDelivered',
            messageStatus: undeliverable ? 'DeliveryDelayed' : 'RecipientAccepted',
            statusCode: '',
            statusText: undeliverable
              ? 'the delivery deadline passed without the recipient taking the message'
              : '',
          },
          this.behaviour.notificationCopies,
        ),
      );
    });
    for (const r of m.recipients)
      if (!codeOf(r))
        this.store.enqueue({
          ...base,
          type: 'NewMessage',
          messageStatus: 'Sent',
          statusCode: '',
          statusText: '',
          recipients: [r],
        });
  }

  private later(ms: number, fn: () => void): void {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private getNotificationList(input: Element): Spec[] {
    const max = Number(childText(input, uui, 'MaxResultCount'));
    if (!(max > 0 && max <= 1000))
      throw new StandInFault('Sender', 'BL.KOP.009', 'MaxResultCount must be 1..1000');
    const { list, more } = this.store.pending(max);
    return [
      [
        uui,
        'Notifications',
        list.map((n): Spec => [
          uui,
          'Notification',
          [
            [uui, 'Id', [n.id]],
            [uui, 'Type', [n.type]],
            [uui, 'CreatedOn', [n.createdOn]],
            [uui, 'MessageId', [n.messageId]],
            [uui, 'MessageClientId', [n.messageClientId]],
            [uui, 'MessageStatus', [n.messageStatus]],
            [uui, 'StatusCode', [n.statusCode]],
            [uui, 'StatusText', [n.statusText]],
            [uui, 'Sender', [n.sender]],
            [uui, 'Recipients', n.recipients.map((r): Spec => [arr, 'string', [r]])],
          ],
        ]),
      ],
      [uui, 'HasMoreData', [more]],
    ];
  }

  /** Messages to an institution's address (not a resident's) that are not yet confirmed. */
  private incoming(): StoredMessage[] {
    return this.store
      .all()
      .filter(
        (m) => m.state === 'registered' && !m.confirmed && m.recipients.some((r) => !codeOf(r)),
      );
  }

  private getMessageList(input: Element): Spec[] {
    const max = Number(childText(input, uui, 'MaxResultCount'));
    const all = this.incoming().sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    return [
      [
        uui,
        'MessageHeaders',
        all.slice(0, max).map((m): Spec => [
          uui,
          'MessageHeader',
          [
            [uui, 'MessageId', [m.messageId]],
            [uui, 'SenderEAddress', [m.sender]],
            [uui, 'IsDelivered', ['false']],
            [uui, 'SentOn', [m.receivedAt]],
          ],
        ]),
      ],
      [uui, 'HasMoreData', [all.length > max]],
    ];
  }

  private incomingMessage(input: Element): StoredMessage {
    const m = this.store.get(childText(input, uui, 'MessageId') ?? '');
    if (!m || !this.incoming().includes(m))
      throw new StandInFault('Sender', 'BL.PSS.028', 'no such message to confirm or fetch');
    return m;
  }

  private getMessage(input: Element): XNode[] {
    const m = this.incomingMessage(input);
    return [
      parseXml(m.envelopeXml).documentElement,
      [uui, 'Recipients', m.recipients.map((r): Spec => [arr, 'string', [r]])],
      [uui, 'ConfirmationName', [m.confirmationName]],
      [
        uui,
        'AttachmentsOutput',
        m.files.map((f): Spec => {
          const separate = f.size > this.behaviour.sectionBytes;
          const count = separate ? Math.floor(f.size / this.behaviour.sectionBytes) + 1 : 1;
          return [
            uui,
            'AttachmentOutput',
            [
              [uui, 'ContentId', [f.contentId]],
              [uui, 'IsSeparateCall', [separate]],
              [uui, 'SectionCount', [count]],
              [uui, 'SectionSize', [this.behaviour.sectionBytes]],
              [
                uui,
                'Contents',
                separate ? [] : [this.store.readFile(m.messageId, f.contentId).toString('base64')],
              ],
            ],
          ];
        }),
      ],
    ];
  }

  private getAttachmentSection(input: Element): Spec[] {
    const m = this.incomingMessage(input);
    const cid = childText(input, uui, 'ContentId') ?? '';
    const index = Number(childText(input, uui, 'SectionIndex'));
    const bytes = this.store
      .readFile(m.messageId, cid)
      .subarray(index * this.behaviour.sectionBytes, (index + 1) * this.behaviour.sectionBytes);
    return [[uui, 'Contents', [bytes.toString('base64')]]];
  }

  private confirmMessage(input: Element): Spec[] {
    const m = this.incomingMessage(input);
    const part = child(input, div, 'RecipientConfirmationPart')!;
    const entry = child(child(part, div, 'RecipientConfirmations')!, div, 'ConfirmationEntry')!;
    if (entry.getAttribute('Id') !== `${m.confirmationName}RecipientSection`)
      throw new StandInFault(
        'Sender',
        'BL.PSS.033',
        'ConfirmationEntry Id does not match the ConfirmationName',
      );
    const status = childText(entry, div, 'Status') as 'RecipientAccepted' | 'RecipientRejected';
    this.store.save({ ...m, confirmed: status });
    return [];
  }

  /** DIV's signed, timestamped proof that it registered a message (ServerSection, signed with the stand-in's key). */
  private serverConfirmation(input: Element): XNode[] {
    const m = this.store.get(childText(input, uui, 'MessageId') ?? '');
    if (!m || m.state !== 'registered')
      throw new StandInFault('Sender', 'BL.PSS.044', 'no such registered message');
    const received = new Date(m.receivedAt);
    const deadline = new Date(received.getTime() + 30 * 86_400_000).toISOString();
    const doc = newDocument([
      div,
      'ServerConfirmationPart',
      [
        [
          div,
          'ServerTransportMetadata',
          [
            [div, 'ServerReceivedTime', [m.receivedAt]],
            [div, 'ServerRefNumber', [m.messageId]],
            [div, 'DeliveryDeadline', [deadline]],
            [div, 'AvailabilityTime', [m.receivedAt]],
          ],
          { Id: 'ServerSection' },
        ],
        [div, 'Signatures', []],
      ],
    ]);
    const signed = signSection(
      doc,
      'ServerSection',
      'ServerSignature',
      this.signer.keyPem,
      this.signer.certPem,
      child(doc.documentElement!, div, 'Signatures')!,
    );
    return [parseXml(signed).documentElement];
  }

  private validateEAddress(input: Element): Spec[] {
    const addresses = children(child(input, uui, 'EAddresses')!, arr, 'string').map(
      (s) => s.textContent ?? '',
    );
    if (addresses.length > 100)
      throw new StandInFault('Sender', 'BL.AKL.ADS.028', 'at most 100 addresses per call');
    return [
      [
        uui,
        'Results',
        addresses.map((a): Spec => {
          const code = codeOf(a);
          const valid = code !== null && !this.behaviour.inactive.has(code);
          return [
            uui,
            'EAddressValidationResult',
            [
              [uui, 'EAddress', [a]],
              code ? [uui, 'Owner', [[uui, 'Code', [code]]]] : null,
              [uui, 'IsValid', [valid]],
            ],
          ];
        }),
      ],
    ];
  }

  private searchAddresseeUnit(input: Element): Spec[] {
    const ownerCode = childText(input, uui, 'AddresseeOwnerCode');
    const eAddress =
      childText(input, uui, 'EAddress') ?? (ownerCode ? `_DEFAULT@${ownerCode}` : null);
    if (!eAddress)
      throw new StandInFault('Sender', 'BL.KOP.014', 'at least one search criterion is required');
    const m = /^_DEFAULT@(\d{11})$/.exec(eAddress);
    const units: Spec[] = m
      ? [
          [
            uui,
            'AddresseeUnit',
            [
              [uui, 'Version', [1]],
              [uui, 'AddresseeOwnerCode', [m[1]]],
              [uui, 'TypeCode', ['TPII']],
              [
                uui,
                'Owner',
                [
                  [uui, 'Code', [m[1]]],
                  [uui, 'Title', [`Iestāde ${m[1]}`]],
                ],
              ],
              [uui, 'EAddress', [eAddress]],
            ],
          ],
        ]
      : [];
    return [
      [uui, 'AddresseeUnits', units],
      [uui, 'HasMoreData', [false]],
    ];
  }

  /** A message to the municipality from elsewhere (a resident writing back): signed with the stand-in's own key. */
  inbound(input: {
    from: string;
    to: string;
    title: string;
    text: string;
    ref: string;
    /** The registration number of the document it answers (the municipality's sender reference). */
    inReplyTo?: string;
    files: { name: string; mimeType: string; bytes: Buffer }[];
  }): StoredMessage {
    const files = input.files.map((f, i) => ({
      contentId: String(i),
      name: f.name,
      mimeType: f.mimeType,
      size: f.bytes.length,
      sha512: sha512Base64(f.bytes),
    }));
    const envelopeXml = signedEnvelope(
      {
        title: input.title,
        date: new Date().toISOString().slice(0, 10),
        documentKind: 'DOC_EMPTY',
        author: { title: input.from },
        description: input.text,
        files,
        senderEAddress: input.from,
        senderRefNumber: input.ref,
        recipients: [input.to],
        notifyOnDelivery: false,
        references: input.inReplyTo ? [input.inReplyTo] : undefined,
      },
      this.signer.keyPem,
      this.signer.certPem,
    );
    const stored = this.newMessage({
      sender: input.from,
      senderRef: input.ref,
      recipients: [input.to],
      title: input.title,
      description: input.text,
      files,
      envelopeXml,
    });
    input.files.forEach((f, i) => this.store.putSection(stored.messageId, String(i), 0, f.bytes));
    this.register(stored);
    return stored;
  }
}
