import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';

/**
 * One line of a case's history. Entries written by activities carry `key` (unique per case),
 * so an activity run twice records its entry once.
 */
@Entity('timeline_events')
@Index(['caseId', 'at'])
@Index(['caseId', 'key'], { unique: true })
export class TimelineEvent extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  /** e.g. case.opened, task.opened, task.completed, task.escalated, delivery.sent */
  @Column('text')
  kind: string;

  /** `system` for the process, otherwise the account id of the person. */
  @Column('text')
  actor: string;

  @Column('jsonb')
  data: Record<string, unknown>;

  /** Idempotency key (case + step); null for entries written by people's actions. */
  @Column({ type: 'text', nullable: true })
  key: string | null;
}
