import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantScoped } from '../../../platform/tenancy/tenant.entity-base';

/**
 * What the integrity monitor can find about an award in force (issue 15 item 9): about its holder,
 * or about another member of the household the award was computed for (`member-…`).
 */
export const FINDING_KINDS = [
  'holder-died',
  'moved-away',
  'duplicate',
  'member-died',
  'member-moved-away',
  'member-duplicate',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** `open` until the caseworker stops the award or dismisses the finding. */
export type FindingStatus = 'open' | 'stopped' | 'dismissed';

/**
 * One finding of the integrity monitor about one person of one award: at most one per award, kind
 * and person, so the next day's run finds it again without a second task. Its task (step
 * `integrity:<kind>`, `integrity:<kind>:<member's place in the household>` for a member) is the
 * caseworker's; the finding page stops the award or dismisses the finding.
 */
@Entity('social_assistance_award_findings')
@Index('IDX_sa_award_findings_award_kind_person', ['awardId', 'kind', 'personCode'], {
  unique: true,
})
@Index('IDX_sa_award_findings_status', ['municipalityId', 'status'])
export class SocialAssistanceAwardFinding extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  awardId: string;

  @Column('uuid')
  caseId: string;

  @Column('text')
  kind: FindingKind;

  /** The person it is about: the holder, or the household member a `member-…` finding names. */
  @Column('text')
  personCode: string;

  /** What the register said (e.g. date of death, the new address's municipality, the other municipality). */
  @Column('jsonb')
  details: Record<string, string | number | null>;

  /** The monitor's run date that found it. */
  @Column('date')
  foundOn: string;

  @Column({ type: 'text', default: 'open' })
  status: FindingStatus;

  @Column({ type: 'uuid', nullable: true })
  taskId: string | null;

  @Column({ type: 'text', nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  /** The caseworker's reasons for the stop or the dismissal. */
  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * One day's run of the integrity monitor in one municipality: the row is the claim (unique per
 * municipality and day), so two app instances never both run a day; `finishedAt` null with an old
 * `claimedAt` is a run that died and is taken over (its work is idempotent).
 */
@Entity('social_assistance_monitor_runs')
@Index('IDX_sa_monitor_runs_day', ['municipalityId', 'runDate'], { unique: true })
export class SocialAssistanceMonitorRun extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('date')
  runDate: string;

  @Column('timestamptz')
  claimedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  checked: number;

  @Column({ type: 'int', default: 0 })
  found: number;

  /** Awards whose registers could not answer (checked again on the next run). */
  @Column({ type: 'int', default: 0 })
  unavailable: number;
}
