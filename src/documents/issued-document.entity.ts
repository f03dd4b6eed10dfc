import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';

/**
 * An issued, sealed document. Immutable once written: the migration revokes UPDATE/DELETE from the
 * app role and a trigger refuses them for everyone. A correction is a new document whose
 * `supersedesId` names the one it replaces.
 */
@Entity('documents')
@Index(['municipalityId', 'caseId', 'stepKey'], { unique: true })
export class IssuedDocument extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The case number (no foreign key yet: the case core lives in another module). */
  @Index()
  @Column('text')
  caseId: string;

  /** The process step that issued it; with caseId the idempotency key of issueDocument. */
  @Column('text')
  stepKey: string;

  @Column('text')
  templateKey: string;

  /** SHA-256 of the template file with its layouts and partials at issue time. */
  @Column({ type: 'char', length: 64 })
  templateVersion: string;

  @Column({ type: 'char', length: 2 })
  language: string;

  @Column('text')
  title: string;

  @Column('text')
  registrationNumber: string;

  @Column({ type: 'bytea', select: false })
  pdf: Buffer;

  @Index()
  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column('integer')
  sizeBytes: number;

  @Column('text')
  signerSubject: string;

  @Column('text')
  signerSerial: string;

  @Column('timestamptz')
  signedAt: Date;

  @Column('timestamptz')
  issuedAt: Date;

  @Column({ type: 'text', unique: true })
  verificationCode: string;

  @Index({ unique: true })
  @Column({ type: 'uuid', nullable: true })
  supersedesId: string | null;

  @ManyToOne(() => IssuedDocument, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supersedes_id' })
  supersedes?: IssuedDocument | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
