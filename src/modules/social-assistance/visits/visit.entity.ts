import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantScoped } from '../../../platform/tenancy/tenant.entity-base';

/**
 * The record of an interview or home visit in a social-assistance case (activity
 * `recordSocialAssistanceVisit`, from the task `social-assistance.visit`): one per visit of the
 * case (`visit` counts them), with the assessment round it belongs to and why it was held.
 */
@Entity('social_assistance_visits')
@Index('IDX_sa_visits_case_visit', ['caseId', 'visit'], { unique: true })
export class SocialAssistanceVisit extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  /** 1, 2, … within the case. */
  @Column('int')
  visit: number;

  /** The assessment round the visit belongs to. */
  @Column('int')
  round: number;

  /** `first-application`, `household-difference` (the rule), `arranged` (at review). */
  @Column('jsonb')
  reasons: string[];

  /** `office-interview` or `home-visit`. */
  @Column('text')
  kind: string;

  @Column('date')
  heldOn: string;

  @Column('text')
  participants: string;

  @Column('text')
  findings: string;

  /** `confirms-declaration`, `differences-found` or `did-not-attend`. */
  @Column('text')
  conclusion: string;

  @Column('uuid')
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
