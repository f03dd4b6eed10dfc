import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantScoped } from '../../platform/tenancy/tenant.entity-base';

export type InformationRequestStatus = 'open' | 'answered' | 'withdrawn';

/**
 * A request to the applicant for missing information. While it is open the case's legal clocks
 * are paused; the applicant answers in the portal, with files.
 */
@Entity('information_requests')
@Index(['municipalityId', 'caseId'])
export class InformationRequest extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('text')
  question: string;

  @Column({ type: 'text', default: 'open' })
  status: InformationRequestStatus;

  /** Answer by (local date) given to the applicant. */
  @Column({ type: 'date' })
  answerBy: string;

  @Column('text')
  requestedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  requestedAt: Date;

  @Column({ type: 'text', nullable: true })
  answer: string | null;

  @Column({ type: 'text', nullable: true })
  answeredBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  answeredAt: Date | null;
}
