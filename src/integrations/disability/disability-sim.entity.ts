import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A disability determined by the health and work capacity expert commission (VDEĀVK), in the simulator. */
@Entity('sim_disabilities')
@Index(['personalCode'])
export class SimDisability {
  @PrimaryColumn('text')
  ref: string;

  @Column('text')
  personalCode: string;

  /** adult (with a group) | child (under 18, no group) */
  @Column('text')
  kind: string;

  /** 1 (most severe), 2 or 3; null for a child's disability. */
  @Column({ type: 'int', nullable: true })
  disabilityGroup: number | null;

  @Column('date')
  validFrom: string;

  /** Null: without a time limit. */
  @Column({ type: 'date', nullable: true })
  validUntil: string | null;
}
