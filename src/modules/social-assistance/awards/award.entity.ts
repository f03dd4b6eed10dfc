import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { TenantScoped } from '../../../platform/tenancy/tenant.entity-base';

/** The status a decision grants (SPSPL 1. pants: trūcīga / maznodrošināta mājsaimniecība). */
export const AWARD_STATUSES = ['needy', 'low-income'] as const;
export type AwardStatus = (typeof AWARD_STATUSES)[number];
/**
 * An award's status: `none` when a housing benefit is granted without needy / low-income status
 * (it needs none, DOMAIN.md); such an award is paid but holds no status (not reported, not answered).
 */
export type AwardStatusOrNone = AwardStatus | 'none';

/** The benefits paid monthly under an award: guaranteed minimum income and housing benefit. */
export const AWARD_BENEFITS = ['gmi', 'housing'] as const;
export type AwardBenefit = (typeof AWARD_BENEFITS)[number];

/**
 * `active`: in force (its period may still end on validUntil); `ended`: its period is over;
 * `stopped`: ended early by a decision (e.g. the integrity monitor found the holder died or moved
 * away, or the same benefit elsewhere), from `stoppedOn`.
 */
export const AWARD_STATES = ['active', 'ended', 'stopped'] as const;
export type AwardState = (typeof AWARD_STATES)[number];

/**
 * What a social assistance decision granted a household: the status (needy or low-income) and its
 * period, the holder (the applicant) and the household. One per case (the case that decided it);
 * its money is in SocialAssistanceAwardAmount, one row per benefit and period of equal amount.
 *
 * Written by the process (activity `grantAward`) in the transaction that records the decision;
 * read by the payment schedule, the status transfer and status API, the integrity monitor and the
 * statistics. Dates are municipal local dates (YYYY-MM-DD), `validUntil` inclusive.
 */
@Entity('social_assistance_awards')
@Index('IDX_sa_awards_case', ['caseId'], { unique: true })
@Index('IDX_sa_awards_holder', ['holderCode'])
@Index('IDX_sa_awards_state', ['municipalityId', 'state', 'validUntil'])
export class SocialAssistanceAward extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('uuid')
  applicationId: string;

  /** Canonical personal code of the applicant, who holds the award. */
  @Column('text')
  holderCode: string;

  /** Every household member's personal code, the holder first. */
  @Column('jsonb')
  householdCodes: string[];

  @Column('text')
  status: AwardStatusOrNone;

  @Column('date')
  validFrom: string;

  @Column('date')
  validUntil: string;

  /** The household's declared address (address register code) when the decision was taken. */
  @Column({ type: 'text', nullable: true })
  addressCode: string | null;

  /** The address's territory (parish or town) for statistics; null when the register had none. */
  @Column({ type: 'text', nullable: true })
  territory: string | null;

  @Column({ type: 'text', default: 'active' })
  state: AwardState;

  /** Why it was stopped (a reason code, e.g. `holder-died`, `moved-away`, `duplicate`). */
  @Column({ type: 'text', nullable: true })
  stopReason: string | null;

  /** First day it no longer holds (stopped awards). */
  @Column({ type: 'date', nullable: true })
  stoppedOn: string | null;

  /** The caseworker's account id who decided (or `system`). */
  @Column('text')
  decidedBy: string;

  /** The decision's date. */
  @Column('date')
  decidedOn: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * One benefit's monthly amount under an award for a period: from the decision, or from a
 * recalculation when a parameter changed with an effective date inside the award (the earlier
 * row's `validUntil` is then cut to the day before). A month is paid the amount of the row in
 * force on its first day. `calculation` keeps the breakdown lines it was computed with and
 * `parameters` the parameter versions (key → valid-from) that applied, so the case shows both.
 */
@Entity('social_assistance_award_amounts')
@Index('IDX_sa_award_amounts_period', ['awardId', 'benefit', 'validFrom'], { unique: true })
@Index('IDX_sa_award_amounts_case', ['caseId'])
export class SocialAssistanceAwardAmount extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  awardId: string;

  @Column('uuid')
  caseId: string;

  @Column('text')
  benefit: AwardBenefit;

  /** Integer euro cents per month. */
  @Column('int')
  monthlyCents: number;

  @Column('date')
  validFrom: string;

  @Column('date')
  validUntil: string;

  /** `decision` or `recalculation`. */
  @Column('text')
  reason: 'decision' | 'recalculation';

  /** Payee of each month's payment: the resident, or a utility provider with the bill reference. */
  @Column('text')
  payeeKind: 'resident' | 'provider';

  @Column('text')
  payeeName: string;

  @Column('text')
  payeeIban: string;

  /** Remittance text: the bill reference for a provider. */
  @Column({ type: 'text', nullable: true })
  payeeReference: string | null;

  @Column('jsonb')
  calculation: unknown;

  @Column('jsonb')
  parameters: Record<string, string>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
