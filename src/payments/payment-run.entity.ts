import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';

/**
 * A municipality's payment run for one month: the lines it collected, frozen. One per
 * (municipality, month): starting it again returns this row, so no line is ever paid twice.
 */
@Entity('payment_runs')
@Index(['municipalityId', 'month'], { unique: true })
export class PaymentRun extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** YYYY-MM */
  @Column({ type: 'char', length: 7 })
  month: string;

  /** GrpHdr/MsgId of its pain.001: stable for the run, unique across municipalities. */
  @Column({ type: 'text', unique: true })
  msgId: string;

  @Column('date')
  requestedExecutionDate: string;

  @Column('integer')
  lineCount: number;

  @Column('bigint')
  totalCents: string;

  @Column('text')
  createdBy: string;

  /** GrpHdr/CreDtTm: fixed when the run is made, so every download of its file is the same. */
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
