import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ResumeMode, TermUnit } from './deadline-math';

/**
 * How long a process step may take by law, effective-dated: a change in law is a new row with a
 * later validFrom, never an edit. Running deadlines keep the terms they started with.
 */
@Entity('deadline_rules')
@Index(['country', 'ruleKey', 'validFrom'], { unique: true })
export class DeadlineRule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'text' })
  processKey: string;

  /** Stable name a process asks for, e.g. `tree-cutting-permit.decision-with-opinions`. */
  @Column({ type: 'text' })
  ruleKey: string;

  /** Legal basis shown to staff and citizens, e.g. "Administratīvā procesa likums 64. pants". */
  @Column({ type: 'text' })
  basis: string;

  @Column({ type: 'text' })
  unit: TermUnit;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'integer', nullable: true })
  maxExtension: number | null;

  /** Working days before the due date when the responsible staff are warned. */
  @Column({ type: 'integer' })
  warnBefore: number;

  @Column({ type: 'text', default: 'shift' })
  onResume: ResumeMode;

  @Column({ type: 'date' })
  validFrom: string;

  @Column({ type: 'date', nullable: true })
  validTo: string | null;

  /** Why the value is what it is (source, or "unverified"). */
  @Column({ type: 'text', default: '' })
  note: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
