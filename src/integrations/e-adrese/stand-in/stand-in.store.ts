import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export interface StoredFile {
  contentId: string;
  name: string;
  mimeType: string;
  size: number;
  sha512: string;
}

export interface StoredMessage {
  messageId: string;
  /** Complete once the envelope is registered (SendMessage, or CompleteSendMessage after sections). */
  state: 'draft' | 'registered';
  sender: string;
  senderRef: string;
  recipients: string[];
  title: string;
  description: string;
  files: StoredFile[];
  envelopeXml: string;
  receivedAt: string;
  /** Per content id of a large message: the next section expected, -1 complete, -2 sent inline. */
  sections: Record<string, number>;
  /** For a message to the municipality: its confirmation name and whether it was confirmed. */
  confirmationName: string;
  confirmed: 'RecipientAccepted' | 'RecipientRejected' | null;
  /** Calls that carried this sender reference (duplicates included). */
  sendCalls: number;
}

export interface StoredNotification {
  id: number;
  type: 'NewMessage' | 'MessageProcessed' | 'MessageDelivered';
  createdOn: string;
  messageId: string;
  messageClientId: string;
  messageStatus: string;
  statusCode: string;
  statusText: string;
  sender: string;
  recipients: string[];
}

/**
 * The stand-in's mailbox on disk: one JSON file per message, file bytes beside it, and the
 * unconfirmed notification queue. Survives a restart of the stand-in.
 */
export class StandInStore {
  private readonly messages = new Map<string, StoredMessage>();
  private notifications: StoredNotification[] = [];
  private nextNotificationId = 1;

  constructor(private readonly dir: string) {
    mkdirSync(join(dir, 'messages'), { recursive: true });
    mkdirSync(join(dir, 'files'), { recursive: true });
    for (const f of readdirSync(join(dir, 'messages'))) {
      const m = JSON.parse(readFileSync(join(dir, 'messages', f), 'utf8')) as StoredMessage;
      this.messages.set(m.messageId, m);
    }
    const q = join(dir, 'notifications.json');
    if (existsSync(q))
      ({ queue: this.notifications, next: this.nextNotificationId } = JSON.parse(
        readFileSync(q, 'utf8'),
      ) as { queue: StoredNotification[]; next: number });
  }

  private writeAtomic(path: string, data: string | Buffer): void {
    writeFileSync(`${path}.tmp`, data);
    renameSync(`${path}.tmp`, path);
  }

  save(m: StoredMessage): void {
    this.messages.set(m.messageId, m);
    this.writeAtomic(join(this.dir, 'messages', `${m.messageId}.json`), JSON.stringify(m));
  }
  get(messageId: string): StoredMessage | undefined {
    return this.messages.get(messageId);
  }
  all(): StoredMessage[] {
    return [...this.messages.values()];
  }
  bySenderRef(sender: string, ref: string): StoredMessage | undefined {
    return this.all().find((m) => m.sender === sender && m.senderRef === ref);
  }

  private fileDir(messageId: string, contentId: string): string {
    const d = join(this.dir, 'files', messageId, Buffer.from(contentId).toString('hex'));
    mkdirSync(d, { recursive: true });
    return d;
  }
  /** A file's bytes, or one section of them (index ≥ 0), written as it arrives. */
  putSection(messageId: string, contentId: string, index: number, bytes: Buffer): void {
    this.writeAtomic(
      join(this.fileDir(messageId, contentId), `${String(index).padStart(6, '0')}.part`),
      bytes,
    );
  }
  readFile(messageId: string, contentId: string): Buffer {
    const d = this.fileDir(messageId, contentId);
    return Buffer.concat(
      readdirSync(d)
        .filter((f) => f.endsWith('.part'))
        .sort()
        .map((f) => readFileSync(join(d, f))),
    );
  }

  enqueue(n: Omit<StoredNotification, 'id' | 'createdOn'>, copies = 1): StoredNotification {
    const full = { ...n, id: this.nextNotificationId++, createdOn: new Date().toISOString() };
    for (let i = 0; i < copies; i++) this.notifications.push(full);
    this.persistQueue();
    return full;
  }
  pending(max: number): { list: StoredNotification[]; more: boolean } {
    return { list: this.notifications.slice(0, max), more: this.notifications.length > max };
  }
  confirm(ids: number[]): void {
    const drop = new Set(ids);
    this.notifications = this.notifications.filter((n) => !drop.has(n.id));
    this.persistQueue();
  }
  private persistQueue(): void {
    this.writeAtomic(
      join(this.dir, 'notifications.json'),
      JSON.stringify({ queue: this.notifications, next: this.nextNotificationId }),
    );
  }
}
