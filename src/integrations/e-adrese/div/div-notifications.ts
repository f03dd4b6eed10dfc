import type { EAddressDeliveryState, EAddressStatus } from '../e-address.port';

/** A DIV notification (INTERFACE.md §8), as GetNotificationList returns it. */
export interface DivNotification {
  id: string;
  type: 'NewMessage' | 'MessageProcessed' | 'MessageDelivered';
  createdOn: string;
  messageId: string;
  messageClientId: string | null;
  messageStatus: string | null;
  statusCode: string | null;
  statusText: string | null;
  sender: string | null;
  recipients: string[];
}

/**
 * Where notifications are kept before they are confirmed to DIV. DIV hands a notification out
 * until it is confirmed, so a sink that stores durably loses none; `record` must be idempotent
 * per notification id (DIV may hand the same one out again when a confirmation was lost).
 */
export interface NotificationSink {
  /** Stores the notifications durably before they are confirmed; returns the ids not seen before. */
  record(notifications: DivNotification[]): Promise<string[]>;
  forMessage(messageId: string): Promise<DivNotification[]>;
  /**
   * The notifications about the message this sender registered under this sender reference
   * (`MessageClientId`): how a send whose reply was lost learns its `MessageId`.
   */
  forSenderRef(sender: string, senderRef: string): Promise<DivNotification[]>;
}

/** This process's memory: for the adapter used alone (tests, bench); the app uses the database sink. */
export class MemoryNotificationSink implements NotificationSink {
  private readonly byId = new Map<string, DivNotification>();
  async record(notifications: DivNotification[]): Promise<string[]> {
    const fresh: string[] = [];
    for (const n of notifications)
      if (!this.byId.has(n.id)) {
        this.byId.set(n.id, n);
        fresh.push(n.id);
      }
    return fresh;
  }
  async forMessage(messageId: string): Promise<DivNotification[]> {
    return [...this.byId.values()].filter((n) => n.messageId === messageId);
  }
  async forSenderRef(sender: string, senderRef: string): Promise<DivNotification[]> {
    return [...this.byId.values()].filter(
      (n) =>
        n.type !== 'NewMessage' &&
        n.messageClientId === senderRef &&
        (n.sender === null || n.sender === sender),
    );
  }
}

const RANK: Record<EAddressDeliveryState, number> = {
  unknown: 0,
  accepted: 1,
  failed: 2,
  delivered: 3,
  read: 4,
};

/** What one notification says about the delivery (no read receipts exist in DIV). */
export function stateOf(n: DivNotification): EAddressDeliveryState {
  switch (n.messageStatus) {
    case 'Rejected':
    case 'RecipientRejected':
    case 'DeliveryDelayed':
      return 'failed';
    case 'RecipientAccepted':
      return 'delivered';
    case null:
    default:
      if (n.type === 'MessageDelivered') return 'delivered';
      if (n.type === 'MessageProcessed')
        return n.messageStatus === 'Accepted' ? 'accepted' : 'unknown';
      return 'unknown';
  }
}

/**
 * The FIFO loop of §8: GetNotificationList → record → ConfirmNotificationList → repeat while
 * HasMoreData. One drain at a time; a notification already recorded (same id) is not new.
 */
export class NotificationBook {
  private running: Promise<DivNotification[]> | null = null;
  readonly sink: NotificationSink;

  constructor(
    sink: NotificationSink | undefined,
    private readonly fetchPage: (
      max: number,
    ) => Promise<{ notifications: DivNotification[]; hasMore: boolean }>,
    private readonly confirm: (ids: string[]) => Promise<void>,
    private readonly pageSize = 50,
  ) {
    this.sink = sink ?? new MemoryNotificationSink();
  }

  drain(): Promise<DivNotification[]> {
    this.running ??= this.loop().finally(() => (this.running = null));
    return this.running;
  }

  private async loop(): Promise<DivNotification[]> {
    const fresh: DivNotification[] = [];
    const seen = new Set<string>();
    for (let page = 0; page < 1000; page++) {
      const { notifications, hasMore } = await this.fetchPage(this.pageSize);
      if (!notifications.length) break;
      const recorded = new Set(await this.sink.record(notifications));
      for (const n of notifications) {
        if (!recorded.has(n.id) || seen.has(n.id)) continue;
        seen.add(n.id);
        fresh.push(n);
      }
      // Confirmed only once stored: DIV hands out an unconfirmed notification again, so none is lost.
      await this.confirm(notifications.map((n) => n.id));
      if (!hasMore) break;
    }
    return fresh;
  }

  async stateOf(messageId: string): Promise<EAddressStatus> {
    let best: { state: EAddressDeliveryState; at: string | null } = { state: 'unknown', at: null };
    for (const n of await this.sink.forMessage(messageId)) {
      const s = stateOf(n);
      if (RANK[s] > RANK[best.state]) best = { state: s, at: n.createdOn };
    }
    return { messageId, ...best };
  }
}
