import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';

export const CHANNELS = [
  'e_address',
  'email',
  'sms',
  'portal_status',
  'post',
  'property_tax_status',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** `awaiting_post`: the letter is printed-ready, waiting for staff to post it (then `sent`). */
export type OutboxStatus =
  'pending' | 'sending' | 'awaiting_post' | 'sent' | 'delivered' | 'failed' | 'dead';

/** What a message is for; alerts to managers are never alerted on again when they fail. */
export type OutboxPurpose = 'notice' | 'decision' | 'status' | 'alert' | 'other';

/** Another way to reach the same party, decided when the message was written. */
export interface FallbackRoute {
  channel: Extract<Channel, 'email' | 'post'>;
  recipient: string;
  /**
   * The message rendered for this channel where it differs from the first channel's (a letter is
   * in the municipality's language, an electronic message in the party's): the fallback sends it.
   */
  text?: { lang: string; subject: string; body: string };
}

/**
 * One outbound message, written in the same transaction as the case change that causes it and
 * sent by an activity with its idempotency key. `failed` = will be retried at nextAttemptAt;
 * `dead` = gave up, an alert was raised, an administrator may retry.
 */
@Entity('outbox_messages')
@Index(['municipalityId', 'idempotencyKey'], { unique: true })
@Index(['status', 'nextAttemptAt'])
@Index('IDX_outbox_messages_fallback_of', ['fallbackOf'])
export class OutboxMessage extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', nullable: true })
  caseId: string | null;

  @Column({ type: 'text' })
  channel: Channel;

  @Column({ type: 'text', default: 'other' })
  purpose: OutboxPurpose;

  /** e-address / personal code, e-mail address, phone number, portal service id, or (post) name and address on two lines. */
  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'char', length: 2, default: 'lv' })
  lang: string;

  /** Document ids, resolved to files by the DocumentSource port when sending. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  attachments: string[];

  /** Unique per municipality: case + step, so a re-run never creates a second message. */
  @Column({ type: 'text' })
  idempotencyKey: string;

  @Column({ type: 'text', default: 'pending' })
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'integer' })
  maxAttempts: number;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  /** When the current attempt claimed the row (a stale claim may be taken over). */
  @Column({ type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'text', nullable: true })
  providerMessageId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  receipt: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  /** e-adrese: deemed notified on the 2nd working day after sending (Paziņošanas likums art. 9). */
  @Column({ type: 'date', nullable: true })
  deemedNotifiedOn: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  deadAt: Date | null;

  /** The notice within the case (`<key>` of `<caseId>:<key>`): the run waits on `delivery.notified:<key>`. */
  @Column({ type: 'text', nullable: true })
  noticeKey: string | null;

  /** The channels still open to the party, in order: tried once, the first, if this message fails. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  fallbackRoutes: FallbackRoute[];

  /** The failed message this one replaces (sent on the next channel), and why that one failed. */
  @Column({ type: 'uuid', nullable: true })
  fallbackOf: string | null;

  @Column({ type: 'text', nullable: true })
  fallbackReason: string | null;

  /** A decision: the last day of its appeal period, counted from the day it is deemed notified. */
  @Column({ type: 'date', nullable: true })
  appealUntil: string | null;

  /** Attempts, dead-lettering and manual retries, in order. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  history: { at: string; event: string; detail?: string }[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
