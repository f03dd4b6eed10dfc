import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantScoped } from '../../platform/tenancy/tenant.entity-base';

export type AlertSeverity = 'warning' | 'critical';

/**
 * Something a manager must look at: a deadline about to pass or missed, a message that could not
 * be delivered. Text is an i18n key with params, rendered in the reader's language.
 */
@Entity('alerts')
@Index(['municipalityId', 'dedupeKey'], { unique: true })
@Index(['municipalityId', 'acknowledgedAt'])
export class Alert extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** e.g. `delivery.dead`, `deadline.warning`, `deadline.missed`. */
  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  severity: AlertSeverity;

  @Column({ type: 'text', nullable: true })
  caseId: string | null;

  @Column({ type: 'text' })
  subjectType: string;

  @Column({ type: 'text' })
  subjectId: string;

  /** i18n key, e.g. `delivery:alert.dead.title`. */
  @Column({ type: 'text' })
  messageKey: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  params: Record<string, string | number>;

  /** One alert per occurrence: a re-run of the same step does not alert twice. */
  @Column({ type: 'text' })
  dedupeKey: string;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  acknowledgedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
