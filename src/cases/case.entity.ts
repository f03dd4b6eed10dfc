import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';

export type CaseStatus = 'open' | 'closed' | 'cancelled';

/**
 * A municipal matter with a legal life. `id` (uuid) is also the workflow id of its one process
 * run; `number` is the human case number (e.g. REF-2026-000123), unique per municipality.
 */
@Entity('cases')
@Index(['municipalityId', 'number'], { unique: true })
@Index(['municipalityId', 'status'])
// Sort by opened: the id breaks ties, so a page stops after 50 cases however many share an instant.
@Index(['municipalityId', 'openedAt', 'id'])
// The inbox's stage filter finds a rare stage's cases without reading every case.
@Index(['municipalityId', 'stage'])
// Parents and links refer to a case together with its municipality: none crosses municipalities.
@Unique('UQ_cases_municipality_id', ['municipalityId', 'id'])
@Check('CHK_cases_parent_not_self', `"parent_id" IS NULL OR "parent_id" <> "id"`)
@Index('IDX_cases_parent', ['parentId'], { where: '"parent_id" IS NOT NULL' })
export class Case extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  number: string;

  /** The process key and version this case runs, recorded at opening and kept for life. */
  @Column('text')
  processKey: string;

  @Column('int')
  processVersion: number;

  @Column({ type: 'text', default: 'open' })
  status: CaseStatus;

  /** Where the run says the case is (e.g. registry-check, review, delivery); for lists and the citizen. */
  @Column({ type: 'text', default: 'opened' })
  stage: string;

  /** Outcome recorded by the process (e.g. approved / rejected); null while undecided. */
  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  /** Who applied: a person id or an external reference; null for ex officio cases. */
  @Column({ type: 'text', nullable: true })
  applicantRef: string | null;

  @Column('text')
  title: string;

  /** The case this one is part of (e.g. a payment case of a decision), in the same municipality; null when none. */
  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => Case, { nullable: true })
  @JoinColumn([
    { name: 'municipality_id', referencedColumnName: 'municipalityId' },
    { name: 'parent_id', referencedColumnName: 'id' },
  ])
  parent?: Case | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  openedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** When the engine accepted the case's run; null until then (the recovery sweep starts it). */
  @Column({ type: 'timestamptz', nullable: true })
  runStartedAt: Date | null;

  /** The run's input, kept only until the run has started (then cleared). */
  @Column({ type: 'jsonb', nullable: true, select: false })
  runInput: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
