import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';

export type TaskStatus = 'open' | 'claimed' | 'completed' | 'cancelled';

/** One unit of human work opened by a process run (humanTask); completing it signals the run. */
@Entity('tasks')
@Index(['caseId', 'step'], { unique: true })
@Index(['municipalityId', 'status', 'role'])
// "Mine" and by-assignee inbox pages walk one person's tasks by the first of their due dates.
@Index(['municipalityId', 'assigneeId', 'status', 'firstDueAt', 'id'])
// The inbox pages through open tasks by the first of their due dates; the id breaks ties (many tasks fall due at the same end of a day).
@Index(['municipalityId', 'status', 'firstDueAt', 'id'])
// A legal clock's change reaches its case's tasks through this (the trigger of migration TaskFirstDue).
@Index(['municipalityId', 'caseId'])
export class Task extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  /** The process step that opened it; (caseId, step) keeps openTask idempotent. */
  @Column('text')
  step: string;

  @Column('text')
  processKey: string;

  @Column('text')
  role: string;

  @Column('text')
  formKey: string;

  @Column('text')
  title: string;

  @Column({ type: 'uuid', nullable: true })
  assigneeId: string | null;

  @Column({ type: 'text', default: 'open' })
  status: TaskStatus;

  /** The task's own due time (the process step's working days): a target, not the law's term. */
  @Column('timestamptz')
  dueAt: Date;

  /**
   * End of the due day of the case's earliest running (or missed) legal deadline; null while none
   * runs (a paused clock does not run). Kept by the database: a trigger on deadlines and on tasks.
   */
  @Column({ type: 'timestamptz', nullable: true, insert: false, update: false })
  legalDueAt: Date | null;

  /**
   * Whichever comes first, dueAt or legalDueAt (kept by the trigger): what the inbox, its counts,
   * filters and sorting and the manager's overdue figures go by, so a case past its legal term is
   * overdue even while its task's own due date is ahead.
   */
  @Column({ type: 'timestamptz', insert: false, update: false })
  firstDueAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  remindAt: Date | null;

  /**
   * The group decision (kit `collect`) this task is one participant's part of: its step name in
   * the process. Null for ordinary tasks. A completion of a group task is signalled to the group.
   */
  @Column({ type: 'text', nullable: true })
  groupStep: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  remindedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  escalatedAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  decision: Record<string, unknown> | null;

  @Column({ type: 'uuid', nullable: true })
  completedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
