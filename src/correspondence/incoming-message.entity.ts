import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';

/**
 * Where an incoming message stands: `received` (stored, not yet routed), `continued` (it continued
 * a case's run), `registration` (waits in "New incoming correspondence"), then `attached` to a
 * case, `opened` a new case, or `filed` as not needing one.
 */
export const INCOMING_STATES = [
  'received',
  'continued',
  'registration',
  'attached',
  'opened',
  'filed',
] as const;
export type IncomingState = (typeof INCOMING_STATES)[number];

/**
 * A message a resident or an institution sent to the municipality's official e-address, one row
 * per DIV message id in the addressed municipality (the unique index makes intake idempotent).
 */
@Entity('incoming_messages')
@Index(['municipalityId', 'divMessageId'], { unique: true })
@Index(['municipalityId', 'status', 'receivedAt'])
export class IncomingMessage extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  divMessageId: string;

  @Column('text')
  senderEAddress: string;

  /** The sender's personal code when the sender is a resident's e-address; else null. */
  @Column({ type: 'text', nullable: true })
  senderCode: string | null;

  @Column('text')
  senderRef: string;

  @Column('text')
  subject: string;

  @Column('text')
  body: string;

  /** Registration numbers the message says it answers (DocumentReferences). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  references: string[];

  @Column({ type: 'text', default: 'received' })
  status: IncomingState;

  /** The case it continued or was attached to or opened; for a registration, the case it quotes (a hint). */
  @Column({ type: 'uuid', nullable: true })
  caseId: string | null;

  /** Why a message that quotes a case did not continue it (not the party, the case waits for nothing, …). */
  @Column({ type: 'text', nullable: true })
  routingNote: string | null;

  /** The signal to the case's run, recorded with the routing and sent after commit (resent until `signalledAt`). */
  @Column({ type: 'jsonb', nullable: true })
  signal: { topic: string; payload: Record<string, unknown> } | null;

  @Column({ type: 'timestamptz', nullable: true })
  signalledAt: Date | null;

  /** When DIV was told we accepted it (ConfirmMessage); until then it stays in DIV's list. */
  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  handledBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  handledAt: Date | null;

  @Column({ type: 'text', nullable: true })
  handlingNote: string | null;

  @Column('timestamptz')
  sentOn: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A file of an incoming message, with its bytes and SHA-256 (DIV checked its SHA-512 on the way). */
@Entity('incoming_message_files')
@Index(['municipalityId', 'messageId'])
export class IncomingMessageFile extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  messageId: string;

  @Column('text')
  fileName: string;

  @Column('text')
  mimeType: string;

  @Column('integer')
  sizeBytes: number;

  @Column('text')
  sha256: string;

  @Column('bytea')
  content: Buffer;
}
