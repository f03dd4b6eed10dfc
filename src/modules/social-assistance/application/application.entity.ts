import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { TenantScoped } from '../../../platform/tenancy/tenant.entity-base';
import type {
  ApplicationChannel,
  ApplicationData,
  ApplicationStatus,
  ApplicationStep,
} from './application.types';

/**
 * A social assistance application: a draft while the resident (or the caseworker at the counter)
 * fills in the steps, then `submitted`. One draft per applicant and municipality. The declared
 * lists are one jsonb document (typed by ApplicationData): they are written and read whole, step
 * by step, and the means test reads them as a unit.
 */
@Entity('social_assistance_applications')
@Index(['municipalityId', 'applicantCode'], { unique: true, where: `"status" = 'draft'` })
@Index(['applicantCode'])
export class SocialAssistanceApplication extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', default: 'draft' })
  status: ApplicationStatus;

  /** Where it was submitted (a draft started online may be finished at the counter). */
  @Column('text')
  channel: ApplicationChannel;

  /** Canonical personal code of the applicant (household member 0). */
  @Column('text')
  applicantCode: string;

  @Column('text')
  applicantName: string;

  /** The 3 full months before the application whose regular income is declared (YYYY-MM, oldest first). */
  @Column('jsonb')
  incomeMonths: string[];

  @Column('jsonb')
  data: ApplicationData;

  /** Steps saved so far (the review can be reached when every step before it is). */
  @Column('jsonb')
  stepsDone: ApplicationStep[];

  @Column({ type: 'boolean', default: false })
  truthDeclared: boolean;

  @Column({ type: 'text', default: 'lv' })
  lang: string;

  /** Who started it: the resident's or the caseworker's account id. */
  @Column('uuid')
  enteredBy: string;

  @Column({ type: 'uuid', nullable: true })
  submittedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  /** The application date (municipal local date of submission): the parameters in force on it apply. */
  @Column({ type: 'date', nullable: true })
  appliedOn: string | null;

  /** Set when the process is started for it (the case the application opened). */
  @Column({ type: 'uuid', nullable: true })
  caseId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * A bill (or other proof of a housing cost) uploaded with an application, or a file sent with an
 * answer to a request for information (`requestId` set).
 */
@Entity('social_assistance_bills')
@Index(['applicationId'])
@Index('IDX_sa_bills_request', ['requestId'])
export class SocialAssistanceBill extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  applicationId: string;

  /** The housing cost kind it proves, when the uploader said. */
  @Column({ type: 'text', nullable: true })
  costKind: string | null;

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

  /** The request for information it answers; null for a bill of the application. */
  @Column({ type: 'uuid', nullable: true })
  requestId: string | null;

  /** The uploading account; null when it came by e-address. */
  @Column({ type: 'uuid', nullable: true })
  uploadedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
