import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantScoped } from '../../platform/tenancy/tenant.entity-base';

/** A file the applicant uploaded with an answer (bytes kept in the case file with their hash). */
@Entity('information_attachments')
@Index(['municipalityId', 'requestId'])
export class InformationAttachment extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  requestId: string;

  @Column('uuid')
  caseId: string;

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

  @CreateDateColumn({ type: 'timestamptz' })
  uploadedAt: Date;
}
