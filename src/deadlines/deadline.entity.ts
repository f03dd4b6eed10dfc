import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';
import type { ExtensionRecord, PauseSpan, ResumeMode, TermUnit } from './deadline-math';

export type DeadlineStatus = 'running' | 'paused' | 'met' | 'missed';

/**
 * A legal clock on a case. The terms are copied from the rule at start, so a later change of law
 * does not move a running deadline; due dates are recomputed from start, pauses and extensions.
 */
@Entity('deadlines')
@Index(['municipalityId', 'caseId', 'key'], { unique: true })
@Index(['municipalityId', 'status', 'dueOn'])
export class Deadline extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The case (no foreign key yet: the case core is built alongside). */
  @Column({ type: 'text' })
  caseId: string;

  /** The process step this clock belongs to, unique per case (makes start idempotent). */
  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'text' })
  processKey: string;

  @Column({ type: 'uuid' })
  ruleId: string;

  @Column({ type: 'text' })
  ruleKey: string;

  @Column({ type: 'text' })
  basis: string;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'text' })
  unit: TermUnit;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'integer', nullable: true })
  maxExtension: number | null;

  @Column({ type: 'integer' })
  warnBefore: number;

  @Column({ type: 'text' })
  onResume: ResumeMode;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  /** Local date of the starting event; the term runs from the next day. */
  @Column({ type: 'date' })
  startedOn: string;

  /** Last day of the term (local date); the term runs until the end of this day. */
  @Column({ type: 'date' })
  dueOn: string;

  @Column({ type: 'date', nullable: true })
  maxDueOn: string | null;

  @Column({ type: 'date' })
  warnOn: string;

  @Column({ type: 'text' })
  status: DeadlineStatus;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  pauses: PauseSpan[];

  @Column({ type: 'jsonb', default: () => `'[]'` })
  extensions: ExtensionRecord[];

  @Column({ type: 'timestamptz', nullable: true })
  metAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  warnedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  escalatedAt: Date | null;

  @VersionColumn({ type: 'integer' })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
