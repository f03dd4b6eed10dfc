/**
 * What the adapter knows about its own sends, across restarts: DIV has no look-up of a message by
 * the sender's reference (INTERFACE.md §4), so an attempt whose reply never came (timeout, reset,
 * the app killed mid-call) leaves the send "in doubt" until a notification carrying the reference
 * (`MessageClientId`) names its `MessageId`, or until DIV has certainly had time to process it.
 */
export interface SendAttempt {
  /** Set once DIV answered with the `MessageId`: the message is registered, never send it again. */
  messageId: string | null;
  /** When an earlier attempt that got no answer started; null = nothing sent before (or DIV refused it). */
  inDoubtSince: Date | null;
}

export interface SendJournal {
  /** Records that an attempt starts now and returns what earlier attempts left. */
  begin(sender: string, senderRef: string, now: Date): Promise<SendAttempt>;
  /** DIV answered with the MessageId. */
  sent(sender: string, senderRef: string, messageId: string): Promise<void>;
  /** DIV answered with a fault: it registered nothing, so the next attempt may send at once. */
  refused(sender: string, senderRef: string): Promise<void>;
  /** An in-doubt attempt is given up after the resend window: a new attempt starts now. */
  restart(sender: string, senderRef: string, now: Date): Promise<void>;
}

type Row = { state: 'sending' | 'sent' | 'refused'; messageId: string | null; attemptAt: Date };

/** This process's memory: for the adapter used alone (tests, bench); the app uses the database journal. */
export class MemorySendJournal implements SendJournal {
  private readonly rows = new Map<string, Row>();

  async begin(sender: string, senderRef: string, now: Date): Promise<SendAttempt> {
    const key = `${sender}\n${senderRef}`;
    const row = this.rows.get(key);
    if (!row || row.state === 'refused') {
      this.rows.set(key, { state: 'sending', messageId: null, attemptAt: now });
      return { messageId: null, inDoubtSince: null };
    }
    return {
      messageId: row.messageId,
      inDoubtSince: row.state === 'sending' ? row.attemptAt : null,
    };
  }

  async sent(sender: string, senderRef: string, messageId: string): Promise<void> {
    this.rows.set(`${sender}\n${senderRef}`, { state: 'sent', messageId, attemptAt: new Date() });
  }

  async refused(sender: string, senderRef: string): Promise<void> {
    const row = this.rows.get(`${sender}\n${senderRef}`);
    if (row?.state === 'sending') row.state = 'refused';
  }

  async restart(sender: string, senderRef: string, now: Date): Promise<void> {
    const row = this.rows.get(`${sender}\n${senderRef}`);
    if (row?.state === 'sending') row.attemptAt = now;
  }
}
