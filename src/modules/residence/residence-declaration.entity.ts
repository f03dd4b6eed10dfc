import type { ParameterListItem } from '../../parameters/parameter.entity';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantScoped } from '../../platform/tenancy/tenant.entity-base';
import type {
  AnnulmentStatus,
  DeclarationStatus,
  LegalBasis,
  SubmissionChannel,
} from './residence.types';

/** A residence declaration as submitted: the case file's structured part (the run holds the rest). */
@Entity('residence_declarations')
@Index(['municipalityId', 'submissionKey'], { unique: true })
@Index(['addressCode'])
export class ResidenceDeclaration extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  caseId: string | null;

  /** Client-supplied key of the submission: submitting the same form twice opens one case. */
  @Column('text')
  submissionKey: string;

  @Column('text')
  channel: SubmissionChannel;

  @Column('text')
  applicantCode: string;

  /** Every person declared (the applicant and/or minors and wards they represent). */
  @Column('jsonb')
  personCodes: string[];

  @Column('text')
  addressCode: string;

  @Column('text')
  addressText: string;

  @Column('text')
  basis: LegalBasis;

  @Column({ type: 'text', nullable: true })
  basisNote: string | null;

  @Column({ type: 'text', nullable: true })
  contactEmail: string | null;

  @Column({ type: 'text', default: 'lv' })
  lang: string;

  /** The state fee charged, in cents, from the effective-dated fee table (0 online). */
  @Column('int')
  feeCents: number;

  @Column({ type: 'text', default: 'submitted' })
  status: DeclarationStatus;

  @Column('date')
  declaredOn: string;

  @Column({ type: 'timestamptz', nullable: true })
  registeredAt: Date | null;

  /** Who entered it: the citizen's or the caseworker's account id. */
  @Column('text')
  enteredBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A document the applicant uploaded (asked for during review). */
@Entity('residence_attachments')
@Index(['caseId'])
export class ResidenceAttachment extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('text')
  fileName: string;

  @Column('text')
  mimeType: string;

  @Column('int')
  sizeBytes: number;

  @Column('text')
  sha256: string;

  @Column('bytea')
  content: Buffer;

  @Column('text')
  uploadedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** An annulment case's subject: whose declared residence is at stake. */
@Entity('residence_annulments')
@Index(['personCode', 'status'])
export class ResidenceAnnulment extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  caseId: string | null;

  @Column('text')
  personCode: string;

  @Column('text')
  residenceId: string;

  @Column('text')
  addressCode: string;

  @Column('date')
  declaredOn: string;

  /** 'owner' (application) or 'ex-officio'. */
  @Column('text')
  initiatedBy: string;

  @Column({ type: 'text', nullable: true })
  applicantCode: string | null;

  /** The explanation given with the ground (free text). */
  @Column('text')
  grounds: string;

  /** Code of the ground for annulment (the list parameter in force when the case was opened); null on cases opened before the list. */
  @Column({ type: 'text', nullable: true })
  groundCode: string | null;

  /** The ground as it was in force then (labels, legal reference), printed on the decision. */
  @Column({ type: 'jsonb', nullable: true })
  ground: ParameterListItem | null;

  @Column({ type: 'text', default: 'open' })
  status: AnnulmentStatus;

  @Column({ type: 'date', nullable: true })
  annulledFrom: string | null;

  /** Persons annulled by the decision (the person and minors declared with them). */
  @Column('jsonb')
  annulledCodes: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
