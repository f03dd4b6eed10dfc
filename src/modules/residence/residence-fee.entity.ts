import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * State fees for declarations, effective-dated (MK 720/2009): an administrator changes a fee by
 * adding a row with a later validFrom, never by editing code. National, so not tenant-scoped.
 */
@Entity('residence_fees')
@Index(['country', 'channel', 'validFrom'], { unique: true })
export class ResidenceFee {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  country: string;

  /** online | counter */
  @Column('text')
  channel: string;

  @Column('int')
  amountCents: number;

  @Column('date')
  validFrom: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
