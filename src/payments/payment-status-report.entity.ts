import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';

/** An imported pain.002 status report: once per (municipality, MsgId); a repeat changes nothing. */
@Entity('payment_status_reports')
@Index(['municipalityId', 'msgId'], { unique: true })
export class PaymentStatusReport extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  msgId: string;

  @Column('uuid')
  runId: string;

  @Column('text')
  sha256: string;

  /** Lines marked: { accepted, paid, rejected, unchanged }. */
  @Column('jsonb')
  summary: Record<string, number>;

  @Column('text')
  importedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  importedAt: Date;
}
