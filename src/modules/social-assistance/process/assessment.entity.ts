import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantScoped } from '../../../platform/tenancy/tenant.entity-base';

/**
 * One means assessment of a social-assistance case (activity `assessSocialAssistance`): the
 * calculator's result for the application (line by line, each line with its legal reference and
 * the parameter versions it used), computed with the parameters in force on the application date.
 * A case has one per round: the first after the register checks, another after each answer to a
 * request for information. The latest round is the one the decision is taken on.
 */
@Entity('social_assistance_assessments')
@Index('IDX_sa_assessments_round', ['caseId', 'round'], { unique: true })
export class SocialAssistanceAssessment extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('uuid')
  applicationId: string;

  @Column('int')
  round: number;

  /** The date whose rules apply (the application date), YYYY-MM-DD. */
  @Column('date')
  asOf: string;

  /** The calculator's CalculationResult (lines with label keys, formulas, legal references, sources). */
  @Column('jsonb')
  result: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A request for information the caseworker sent the applicant (the decision clock pauses until
 * the answer). The answer comes from the resident's case page or as a reply to the municipality's
 * e-address quoting the case.
 */
@Entity('social_assistance_information_requests')
@Index('IDX_sa_info_requests_round', ['caseId', 'round'], { unique: true })
export class SocialAssistanceInformationRequest extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('int')
  round: number;

  @Column('text')
  question: string;

  /** Answer by (YYYY-MM-DD). */
  @Column('date')
  answerBy: string;

  @Column({ type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  @Column({ type: 'text', nullable: true })
  answer: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
