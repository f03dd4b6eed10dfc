import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One line of the append-only, hash-chained audit log. Rows are never updated or deleted (grants
 * and a trigger enforce it); each row's hash covers its content and the previous row's hash in the
 * same chain. There is one chain per municipality and one for platform events (municipality NULL).
 */
@Entity('audit_log')
@Index(['municipalityId', 'seq'])
@Index(['municipalityId', 'personId', 'at'])
// A case file's audit trail: entries about the case, its tasks and requests.
@Index(['municipalityId', 'subjectId', 'seq'])
@Check('audit_log_read_has_purpose', `"purpose" IS NOT NULL OR "action" NOT LIKE '%.read'`)
export class AuditEntry {
  /** Global order of appends; within a chain it grows with the chain (appends are serialised). */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq: string;

  /** NULL for platform events (e.g. a failed sign-in before a municipality is known). */
  @Column({ type: 'uuid', nullable: true })
  municipalityId: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'uuid', nullable: true })
  actorAccountId: string | null;

  /** Name shown to auditors; staff names are never shown to residents. */
  @Column('text')
  actorDisplay: string;

  @Column({ type: 'text', nullable: true })
  actorRole: string | null;

  /** Dotted verb, e.g. person.read, case.read, task.complete.refused, auth.signin.failed. */
  @Column('text')
  action: string;

  @Column({ type: 'text', nullable: true })
  subjectType: string | null;

  @Column({ type: 'text', nullable: true })
  subjectId: string | null;

  /** Whose personal data the action touched, for the resident's consultation report. */
  @Column({ type: 'uuid', nullable: true })
  personId: string | null;

  /** Why personal data was read; required for every *.read action. */
  @Column({ type: 'text', nullable: true })
  purpose: string | null;

  @Column({ type: 'text', nullable: true })
  requestId: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column('jsonb')
  details: Record<string, unknown>;

  @Column('text')
  prevHash: string;

  @Column('text')
  hash: string;
}
