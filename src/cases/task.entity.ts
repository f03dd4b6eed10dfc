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
// "Mine" and by-assignee inbox pages walk one person's tasks by due date.
@Index(['municipalityId', 'assigneeId', 'status', 'dueAt', 'id'])
// The inbox pages through open tasks by due date; the id breaks ties (many tasks fall due at the same end of a day).
@Index(['municipalityId', 'status', 'dueAt', 'id'])
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

  @Column('timestamptz')
  dueAt: Date;

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
