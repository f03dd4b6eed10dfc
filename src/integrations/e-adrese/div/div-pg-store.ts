import type { DivNotification, NotificationSink } from './div-notifications';
import type { SendAttempt, SendJournal } from './div-send-journal';

/** The part of a TypeORM DataSource (or a pg pool) these stores use. */
export interface SqlRunner {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

interface NotificationRow {
  id: string;
  type: DivNotification['type'];
  created_on: string;
  message_id: string;
  message_client_id: string | null;
  message_status: string | null;
  status_code: string | null;
  status_text: string | null;
  sender: string | null;
}

const fromRow = (r: NotificationRow): DivNotification => ({
  id: r.id,
  type: r.type,
  createdOn: r.created_on,
  messageId: r.message_id,
  messageClientId: r.message_client_id,
  messageStatus: r.message_status,
  statusCode: r.status_code,
  statusText: r.status_text,
  sender: r.sender,
  recipients: [],
});

const COLUMNS = `id, type, created_on, message_id, message_client_id, message_status, status_code, status_text, sender`;

/**
 * DIV notifications in PostgreSQL (`div_notifications`, the DIV notification id unique), written
 * before they are confirmed to DIV, so a restart loses none. The table belongs to the deployment's
 * DIV connection, not to a municipality, and so holds no personal data: recipients are not kept,
 * and the sender only of notifications about our own outgoing messages (the municipality's address).
 */
export class PgNotificationSink implements NotificationSink {
  constructor(private readonly db: SqlRunner) {}

  async record(notifications: DivNotification[]): Promise<string[]> {
    if (notifications.length === 0) return [];
    const rows = await this.db.query<{ id: string }[]>(
      `INSERT INTO div_notifications (${COLUMNS})
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
         id text, type text, created_on text, message_id text, message_client_id text,
         message_status text, status_code text, status_text text, sender text)
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [
        JSON.stringify(
          notifications.map((n) => ({
            id: n.id,
            type: n.type,
            created_on: n.createdOn,
            message_id: n.messageId,
            message_client_id: n.messageClientId,
            message_status: n.messageStatus,
            status_code: n.statusCode,
            status_text: n.statusText,
            sender: n.type === 'NewMessage' ? null : n.sender,
          })),
        ),
      ],
    );
    return rows.map((r) => r.id);
  }

  async forMessage(messageId: string): Promise<DivNotification[]> {
    const rows = await this.db.query<NotificationRow[]>(
      `SELECT ${COLUMNS} FROM div_notifications WHERE message_id = $1 ORDER BY recorded_at, id`,
      [messageId],
    );
    return rows.map(fromRow);
  }

  async forSenderRef(sender: string, senderRef: string): Promise<DivNotification[]> {
    const rows = await this.db.query<NotificationRow[]>(
      `SELECT ${COLUMNS} FROM div_notifications
        WHERE message_client_id = $2 AND type <> 'NewMessage' AND (sender IS NULL OR sender = $1)
        ORDER BY recorded_at, id`,
      [sender, senderRef],
    );
    return rows.map(fromRow);
  }
}

/** The send journal in PostgreSQL (`div_sends`, one row per sender and sender reference). */
export class PgSendJournal implements SendJournal {
  constructor(private readonly db: SqlRunner) {}

  async begin(sender: string, senderRef: string, now: Date): Promise<SendAttempt> {
    // A refused attempt starts over; a row still 'sending' is an attempt that got no answer.
    const [row] = await this.db.query<
      { state: string; message_id: string | null; attempt_at: Date; fresh: boolean }[]
    >(
      `INSERT INTO div_sends AS s (sender, sender_ref, state, attempt_at)
       VALUES ($1, $2, 'sending', $3)
       ON CONFLICT (sender, sender_ref) DO UPDATE
         SET state = CASE WHEN s.state = 'refused' THEN 'sending' ELSE s.state END,
             attempt_at = CASE WHEN s.state = 'refused' THEN EXCLUDED.attempt_at ELSE s.attempt_at END
       RETURNING state, message_id, attempt_at, (xmax = 0 OR attempt_at = $3) AS fresh`,
      [sender, senderRef, now],
    );
    if (row.state === 'sent') return { messageId: row.message_id, inDoubtSince: null };
    return { messageId: null, inDoubtSince: row.fresh ? null : new Date(row.attempt_at) };
  }

  async sent(sender: string, senderRef: string, messageId: string): Promise<void> {
    await this.db.query(
      `UPDATE div_sends SET state = 'sent', message_id = $3, sent_at = now()
        WHERE sender = $1 AND sender_ref = $2`,
      [sender, senderRef, messageId],
    );
  }

  async refused(sender: string, senderRef: string): Promise<void> {
    await this.db.query(
      `UPDATE div_sends SET state = 'refused' WHERE sender = $1 AND sender_ref = $2 AND state = 'sending'`,
      [sender, senderRef],
    );
  }

  async restart(sender: string, senderRef: string, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE div_sends SET attempt_at = $3 WHERE sender = $1 AND sender_ref = $2 AND state = 'sending'`,
      [sender, senderRef, now],
    );
  }
}
