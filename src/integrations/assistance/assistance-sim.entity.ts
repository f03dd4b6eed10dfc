import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An entry of the national social-assistance register (SPOLIS, MK 587/2014) in the simulator: a
 * municipality's decision on a person's application (applied, granted or refused), with the period.
 */
@Entity('sim_assistance_records')
@Index(['personalCode'])
export class SimAssistanceRecord {
  /** Generated `g:<n>`, demo `demo:…`, or the reporting municipality's idempotency key. */
  @PrimaryColumn('text')
  ref: string;

  @Column('text')
  personalCode: string;

  /** The municipality as the address register names it (e.g. Tukuma novads). */
  @Column('text')
  municipality: string;

  /** gmi | housing | needy_status | low_income_status | emergency */
  @Column('text')
  benefit: string;

  /** applied | granted | refused */
  @Column('text')
  status: string;

  @Column('date')
  decidedOn: string;

  @Column({ type: 'date', nullable: true })
  periodFrom: string | null;

  @Column({ type: 'date', nullable: true })
  periodTo: string | null;

  /** Monthly amount granted, integer cents (null for statuses). */
  @Column({ type: 'int', nullable: true })
  monthlyCents: number | null;
}
